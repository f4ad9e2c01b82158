"""docs/dev/architecture.md stays the map: its package listing names every module of
`authcore` (the provider catalog, covered by its `<name>.py` line, and the migrations
excepted)."""

from __future__ import annotations

import re
from pathlib import Path

import authcore
from authcore.providers._registry import _BUILTINS

ROOT = Path(authcore.__file__).parent
PAGE = ROOT.parent / "docs" / "dev" / "architecture.md"
HAND_WRITTEN = {"github", "google", "instagram", "oidc", "credentials", "nodemailer", "passkey"}


def _listing() -> str:
    text = PAGE.read_text(encoding="utf-8")
    return text.split("## The package", 1)[1].split("\n## ", 1)[0]


def _catalog() -> set[str]:
    modules = {module.rsplit(".", 1)[1] for module, _ in _BUILTINS.values()}
    return modules - HAND_WRITTEN


def _named(listing: str, word: str) -> bool:
    return re.search(rf"(?<![\w.]){re.escape(word)}(?:\.py|/)?(?![\w])", listing) is not None


def _unlisted(listing: str) -> list[str]:
    catalog = _catalog()
    missing = []
    for path in sorted(ROOT.rglob("*.py")):
        relative = path.relative_to(ROOT)
        if "migrations" in relative.parts:
            continue
        if relative.parent == Path("providers") and path.stem in catalog:
            continue
        word = relative.parent.name if path.name == "__init__.py" else path.stem
        if word and not _named(listing, word):
            missing.append(relative.as_posix())
    return missing


def test_every_module_is_on_the_architecture_page() -> None:
    assert _unlisted(_listing()) == []


def test_the_check_sees_a_missing_module() -> None:
    listing = _listing().replace("_fast_read", "")
    assert _unlisted(listing) == ["stores/sqlalchemy/_fast_read.py"]
