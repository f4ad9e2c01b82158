"""The docs' code cannot drift: the framework pages show only code included from files the
suite runs, and the testing guide's remaining inline examples are executed here."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from authcore.testing import MockIdP, sign_in
from examples.guide.fastapi_app import create_app

DOCS = Path(__file__).resolve().parents[2] / "docs"
BLOCK = re.compile(r"^```python\n(.*?)^```", re.S | re.M)
INCLUDE = re.compile(r'^--8<-- "([^"]+)"$')


def _blocks(page: Path) -> list[str]:
    return BLOCK.findall(page.read_text())


@pytest.mark.parametrize("page", sorted((DOCS / "frameworks").glob("*.md")), ids=lambda p: p.name)
def test_framework_pages_show_only_tested_code(page: Path) -> None:
    for block in _blocks(page):
        match = INCLUDE.match(block.strip())
        assert match, f"{page.name}: inline python block (include it from examples/guide):\n{block}"
        path, _, section = match.group(1).partition(":")
        source = (DOCS.parent / path).read_text()
        assert f"--8<-- [start:{section}]" in source and f"--8<-- [end:{section}]" in source


INLINE = [b for b in _blocks(DOCS / "testing.md") if not INCLUDE.match(b.strip())]


@pytest.mark.parametrize("block", INLINE, ids=[b.splitlines()[0][:40] for b in INLINE])
def test_testing_guide_inline_examples_run(
    block: str, mock_idp: MockIdP, monkeypatch: pytest.MonkeyPatch
) -> None:
    if "requests_to" in block:  # asserts on a sign-in: make one
        monkeypatch.setenv("AUTH_MOCK_IDP_URL", mock_idp.url)
        monkeypatch.setenv("AUTH_URL", "http://testserver")
        monkeypatch.setenv("AUTH_SECRET", "docs-examples-secret-0123456789")
        assert sign_in(TestClient(create_app()), "instagram").ok
    exec(compile(block, "docs/testing.md", "exec"), {"idp": mock_idp, "mock_idp": mock_idp})


def test_every_testing_guide_example_is_covered() -> None:
    assert len(INLINE) >= 4  # the request assertions, the context manager, users, faults
