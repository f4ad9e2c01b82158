"""What `pip install authcore[...]` brings, read from the installed package's metadata."""

from __future__ import annotations

from importlib.metadata import requires

import pytest


def _extra(name: str) -> set[str]:
    marker = f'extra == "{name}"'
    return {
        r.split(";")[0].split(">=")[0].strip() for r in requires("authcore") or [] if marker in r
    }


def test_runtime_dependencies_stay_three() -> None:
    base = {r.split(">=")[0] for r in requires("authcore") or [] if "extra ==" not in r}
    assert base == {"httpx", "cryptography", "typing-extensions"}


@pytest.mark.parametrize(
    ("extra", "brings"),
    [
        ("fastapi", {"fastapi", "uvicorn"}),  # the docs run the app with uvicorn
        ("starlette", {"starlette", "uvicorn"}),
        ("flask", {"flask"}),
        ("django", {"django"}),
    ],
)
def test_each_framework_extra_brings_what_its_docs_run(extra: str, brings: set[str]) -> None:
    assert brings <= _extra(extra)
