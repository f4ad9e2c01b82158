"""The small helpers that replaced stdlib calls on the hot path must give the same answers."""

from __future__ import annotations

import random
import re
import uuid
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from email.utils import formatdate
from typing import Any
from urllib.parse import quote

import pytest

from authcore._http import encode_uri_component, http_date
from authcore._normalise import normalise
from authcore._random import uuid4
from authcore.actions._response import dumps
from authcore.actions._store_calls import store_call_with
from authcore.actions.session import _default_body_json, iso_datetime
from authcore.stores.memory import MemoryStore
from tests.support.core import make_config


def test_uuid4_is_a_version_4_rfc_uuid() -> None:
    seen = {uuid4() for _ in range(2000)}
    assert len(seen) == 2000
    for text in seen:
        assert re.fullmatch(
            r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", text
        )
        parsed = uuid.UUID(text)
        assert parsed.version == 4
        assert parsed.variant == uuid.RFC_4122
        assert str(parsed) == text


def test_http_date_matches_the_stdlib_imf_fixdate() -> None:
    rng = random.Random(7)
    for _ in range(5000):
        t = rng.uniform(0, 4_102_444_800)
        assert http_date(int(t)) == formatdate(t, usegmt=True)
    assert http_date(1798537230) == "Tue, 29 Dec 2026 09:40:30 GMT"


def test_encode_uri_component_matches_quote_with_the_js_safe_set() -> None:
    safe = "-_.!~*'()"
    samples = [
        "eyJhbGciOiJkaXIi..x.y.z",
        "a|b",
        "https://example.com/?a=1&b=2",
        "é",
        "x y",
        "%",
        "",
    ]
    rng = random.Random(3)
    samples += ["".join(chr(rng.randrange(0, 0x3000)) for _ in range(20)) for _ in range(300)]
    samples += ["".join(chr(rng.randrange(0, 128)) for _ in range(40)) for _ in range(300)]
    samples += [f"{'a' * 64}|{'0' * 64}", "http://127.0.0.1:8000", "\\]^[-"]
    for text in samples:
        if any(0xD800 <= ord(c) <= 0xDFFF for c in text):
            continue
        assert encode_uri_component(text) == quote(text, safe=safe)


def test_iso_datetime_is_javascript_to_iso_string() -> None:
    utc = timezone.utc
    assert iso_datetime(datetime(2027, 1, 1, 18, 43, 33, 112999, tzinfo=utc)) == (
        "2027-01-01T18:43:33.112Z"
    )
    plus5 = timezone(timedelta(hours=5))
    assert iso_datetime(datetime(2027, 1, 1, 18, 0, tzinfo=plus5)) == "2027-01-01T13:00:00.000Z"
    # `new Date(Date.UTC(999, 0, 1)).toISOString()` pads the year to four digits.
    assert iso_datetime(datetime(999, 1, 1, tzinfo=utc)) == "0999-01-01T00:00:00.000Z"


class _CountedKeys(dict[str, Any]):
    """A store argument that counts how often its keys are listed (the debug log's shape)."""

    listed = 0

    def __iter__(self) -> Iterator[str]:
        _CountedKeys.listed += 1
        return super().__iter__()


def test_store_calls_build_the_debug_shapes_only_for_a_debug_log() -> None:
    class Store(MemoryStore):
        def update_session(self, session: Any) -> Any:
            return None

    for debug, listed in ((False, 0), (True, 1)):
        _CountedKeys.listed = 0
        config = make_config(adapter=Store(), debug=debug, session={"strategy": "jwt"})
        options = normalise({**config, "logger": {}})
        flow = store_call_with(options, "update_session", _CountedKeys(session_token="t"))
        with pytest.raises(StopIteration):
            flow.send(None)
        assert _CountedKeys.listed == listed


@pytest.mark.parametrize(
    "user",
    [
        {"name": "Ann", "email": "a@x", "image": None},
        {"name": 'q"u\\o\nte\x00\x1f\u2028', "email": "é✓😀", "image": "https://i/x?a=1&b=<>"},
        {"name": None, "email": None, "image": None},
        {"name": 7, "email": "a@x", "image": None},  # not a string: through `dumps`
        {"name": ["a"], "email": {"b": 1.5}, "image": True},
    ],
)
def test_database_body_json_is_dumps(user: dict[str, Any]) -> None:
    body = {"user": user, "expires": "2027-01-01T18:43:33.112Z"}
    assert _default_body_json(body) == dumps(body)
