"""References resolve for someone holding only the repository.

A comment, docstring, doc page or test may cite an Auth.js source file (listed in
docs/dev/authjs-map.md), an RFC, an advisory, a numbered row of docs/differences.md or an
anchored section of docs/. It may not cite a document that does not ship (the notes the
project was first written from) nor an absolute path of one machine.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
DOCS = REPO / "docs"
_SKIP_DIRS = {
    ".git",
    ".venv",
    "node_modules",
    "site",
    "__pycache__",
    ".mypy_cache",
    ".ruff_cache",
    ".pytest_cache",
    ".hypothesis",
    "authcore.egg-info",
    "test-artifacts",
}
_SUFFIXES = {".py", ".md", ".toml", ".yml", ".yaml", ".txt", ".cfg", ".js", ".mjs", ".sh", ".html"}
_SCRIPTS = {"check", "test", "demo"}

# Built from parts so that this file does not match itself.
_S = "\u00a7"
OUTSIDE = [
    re.compile("SPEC " + _S),
    re.compile(r"security\.md " + _S),
    re.compile(r"instagram\.md " + _S),
    re.compile("WAVE" + "2"),
    re.compile("DESIGN" + r"(\.md| " + _S + ")"),
    re.compile(r"(?<![\w.])/" + "work/"),
]


def _text_files() -> Iterator[Path]:
    stack = [REPO]
    while stack:
        folder = stack.pop()
        for entry in sorted(folder.iterdir()):
            if entry.is_dir():
                if entry.name not in _SKIP_DIRS and not entry.is_symlink():
                    stack.append(entry)
            elif entry.suffix in _SUFFIXES or (
                entry.parent.name == "scripts" and entry.name in _SCRIPTS
            ):
                yield entry


@cache
def _files() -> tuple[tuple[str, str], ...]:
    out = []
    for path in _text_files():
        try:
            out.append((path.relative_to(REPO).as_posix(), path.read_text(encoding="utf-8")))
        except UnicodeDecodeError:
            continue
    return tuple(out)


def _slug(title: str) -> str:
    """Python-Markdown's `toc` slug (what mkdocs uses for heading anchors)."""
    title = re.sub(r"`([^`]*)`", r"\1", title)
    title = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", title)
    value = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    value = re.sub(r"[^\w\s-]", "", value).strip().lower()
    return re.sub(r"[-\s]+", "-", value)


@cache
def _anchors(page: str) -> frozenset[str]:
    text = (DOCS / page).read_text(encoding="utf-8")
    text = re.sub(r"```.*?```", "", text, flags=re.S)
    return frozenset(_slug(m) for m in re.findall(r"^#{1,6} (.+?)\s*#*$", text, flags=re.M))


@cache
def _difference_rows() -> frozenset[int]:
    text = (DOCS / "differences.md").read_text(encoding="utf-8")
    return frozenset(int(n) for n in re.findall(r"^\| (\d+) \|", text, flags=re.M))


@cache
def _mapped_authjs_files() -> str:
    return (DOCS / "dev" / "authjs-map.md").read_text(encoding="utf-8")


def test_the_scan_sees_the_repository() -> None:
    names = {name for name, _ in _files()}
    assert {"README.md", "authcore/jwt.py", "docs/differences.md"} <= names
    assert "scripts/test" in names
    assert not any("node_modules" in name for name in names)


def test_no_reference_to_a_document_outside_the_repository() -> None:
    found = [
        f"{name}:{text.count(chr(10), 0, m.start()) + 1}: {m.group(0)!r}"
        for name, text in _files()
        for pattern in OUTSIDE
        for m in pattern.finditer(text)
    ]
    assert found == []


def test_docs_links_resolve() -> None:
    """Every `docs/<page>.md[#anchor]` cited in code, tests and docs exists."""
    broken = []
    for name, text in _files():
        for m in re.finditer(r"(?<![\w/])docs/([\w/.-]+?\.md)(?:#([\w-]+))?", text):
            page, anchor = m.group(1), m.group(2)
            if not (DOCS / page).is_file():
                broken.append(f"{name}: {m.group(0)} (no such page)")
            elif anchor is not None and anchor not in _anchors(page):
                broken.append(f"{name}: {m.group(0)} (no such section)")
    assert broken == []


def test_cited_rows_of_differences_exist() -> None:
    rows = _difference_rows()
    assert set(range(1, 19)) <= rows
    bad = []
    for name, text in _files():
        for m in re.finditer(
            r"differences(?:\.md|\]\(differences\.md\))\s+rows?\s+([\d, ]+)", text
        ):
            cited = {int(n) for n in re.findall(r"\d+", m.group(1))}
            if not cited <= rows:
                bad.append(f"{name}: {m.group(0)}")
    assert bad == []


def test_cited_authjs_files_are_in_the_map() -> None:
    """Each Auth.js source file cited names a file the map lists (so the map stays complete)."""
    unmapped = []
    for name, text in _files():
        for m in re.finditer(r"Auth\.js\s+((?:`src/[\w/.-]+`(?:,\s*)?)+)", text):
            for cited in re.findall(r"`(src/[\w/.-]+)`", m.group(1)):
                if f"`{cited}`" not in _mapped_authjs_files():
                    unmapped.append(f"{name}: {cited}")
    assert unmapped == []


@pytest.mark.parametrize(
    ("text", "bad"),
    [
        ("see SPEC " + _S + "4.1", True),
        ("(security.md " + _S + "0.5)", True),
        ("/" + "work/shared/notes.md", True),
        ("docs/security.md#resource-limits", False),
        ("RFC 6749 " + _S + "4.1.3", False),
    ],
)
def test_the_patterns(text: str, bad: bool) -> None:
    assert any(p.search(text) for p in OUTSIDE) is bad
