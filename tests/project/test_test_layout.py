"""The tests' own layout: helpers in one support package, no test module importing another."""

from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]
# Programs and data loaders rather than shared helpers, kept beside what they serve: the
# interop harness (it owns tests/interop/node), the Django projects started in subprocesses
# (named by string: `python -m tests.stores._django_bridge_app`, the settings module, the site
# the server tests run), and the provider catalog's loader beside the fixture files it reads.
HARNESSES = {
    "interop/node_bridge.py",
    "stores/_django_bridge_app.py",
    "stores/django_settings.py",
    "adapters/servers/django_site.py",
    "providers/catalog/catalog_fixtures.py",
}


def _python_files() -> list[Path]:
    return sorted(p for p in TESTS.rglob("*.py") if "node_modules" not in p.parts)


def _imported_modules(path: Path) -> list[str]:
    package = ".".join(("tests", *path.parent.relative_to(TESTS).parts))
    found: list[str] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parts, *([node.module] if node.module else [])])
            found.append(base)
            found.extend(f"{base}.{alias.name}" for alias in node.names)
    return found


def test_no_test_module_imports_another() -> None:
    offenders = [
        f"{path.relative_to(TESTS)} imports {module}"
        for path in _python_files()
        for module in _imported_modules(path)
        if module.startswith("tests.") and module.rsplit(".", 1)[-1].startswith("test_")
    ]
    assert offenders == []


def test_helpers_live_in_the_support_package() -> None:
    strays = [
        path.relative_to(TESTS).as_posix()
        for path in _python_files()
        if not path.name.startswith("test_")
        and path.name not in ("__init__.py", "conftest.py")
        and path.parent.name != "support"
        and path.relative_to(TESTS).as_posix() not in HARNESSES
    ]
    assert strays == []


def test_the_checks_see_imports() -> None:
    imported = _imported_modules(TESTS / "e2e" / "test_e2e_oauth.py")
    assert "tests.support.e2e.Browser" in imported


# Folders that cut across packages (CONTRIBUTING.md, "Where tests go"); every other folder
# of tests/ is named for a package or top-level module of authcore, or is `core`.
CROSS_CUTTING = {"security", "e2e", "interop", "browser", "guide", "email"}
NOT_TESTS = {"support", "project", "fixtures"}
TOOLING = {"bench"}  # tests of the repository's own tools (bench/), not of authcore


def _authcore_names() -> set[str]:
    root = TESTS.parent / "authcore"
    return {p.stem for p in root.iterdir() if p.suffix == ".py" or (p / "__init__.py").exists()}


def test_test_folders_mirror_the_packages() -> None:
    allowed = _authcore_names() | {"core"} | CROSS_CUTTING | NOT_TESTS | TOOLING
    folders = {p.name for p in TESTS.iterdir() if p.is_dir() and not p.name.startswith(("_", "."))}
    assert sorted(folders - allowed) == []
    assert sorted(p.name for p in TESTS.glob("test_*.py")) == []  # every test in a folder


def test_interop_tests_live_in_one_place() -> None:
    marked = [
        path.relative_to(TESTS).as_posix()
        for path in _python_files()
        if "mark.interop" in path.read_text(encoding="utf-8")
        and path.relative_to(TESTS).parts[0] not in ("interop", "project")
    ]
    assert marked == []
