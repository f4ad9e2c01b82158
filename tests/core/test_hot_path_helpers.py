"""The small helpers that replaced stdlib calls on the hot path must give the same answers."""

from __future__ import annotations

import random
import re
import uuid
from email.utils import formatdate
from urllib.parse import quote

from authcore._http import encode_uri_component, http_date
from authcore._random import uuid4


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
