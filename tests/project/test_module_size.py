"""No module of `authcore` is over ~400 lines without the reason at its top, and the
architecture page names each such module (docs/dev/architecture.md#modules-over-400-lines)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import authcore

ROOT = Path(authcore.__file__).parent
ARCHITECTURE = ROOT.parent / "docs" / "dev" / "architecture.md"
LIMIT = 400
# How a module says why it is long: "Over 400 lines because ..." or "Long because ...".
REASON = re.compile(r"\b(Over 400 lines|Long) because\b")


def _long_modules() -> dict[str, str]:
    """Path (relative to the repository) -> module docstring, for every module over LIMIT."""
    out: dict[str, str] = {}
    for path in sorted(ROOT.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        if text.count("\n") > LIMIT:
            out[path.relative_to(ROOT.parent).as_posix()] = ast.get_docstring(ast.parse(text)) or ""
    return out


def test_a_long_module_says_why_at_its_top() -> None:
    unexplained = [path for path, doc in _long_modules().items() if not REASON.search(doc)]
    assert unexplained == []


def test_the_architecture_page_names_every_long_module() -> None:
    section = ARCHITECTURE.read_text(encoding="utf-8").split("## Modules over 400 lines", 1)[1]
    section = section.split("\n## ", 1)[0]
    assert [path for path in _long_modules() if f"`{path}`" not in section] == []


def test_the_check_sees_a_long_module() -> None:
    assert "authcore/testing/_conformance.py" in _long_modules()
    assert REASON.search("Long because it is a flat list") is not None
    assert REASON.search("A long module.") is None
