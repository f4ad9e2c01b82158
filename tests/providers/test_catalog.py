"""The provider catalog: a lazy index, `authcore providers`, and generated docs that follow
the code."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from authcore.cli import main
from authcore.providers import catalog, provider_factory
from authcore.providers.oauth import OAuthProvider
from tests.support.core import Browser, make_config

ROOT = Path(__file__).resolve().parents[2]


def _generator() -> Any:
    spec = importlib.util.spec_from_file_location(
        "gen_provider_docs", ROOT / "scripts" / "gen_provider_docs.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _imported_after(code: str) -> set[str]:
    """Provider modules loaded by `code` in a fresh interpreter."""
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            f"{code}\nimport sys\nprint('\\n'.join(m for m in sys.modules "
            "if m.startswith('authcore.providers.')))",
        ],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    ).stdout.split()
    index = {module for module, _ in catalog_index().values()}
    return set(out) & index


def catalog_index() -> dict[str, tuple[str, str]]:
    from authcore.providers._registry import builtin_index

    return builtin_index()


def test_generated_provider_docs_are_up_to_date() -> None:
    pages = _generator().render_all()
    assert len(pages) == len(catalog.ids()) + 1
    stale = [
        path
        for path, text in pages.items()
        if not (ROOT / path).exists() or (ROOT / path).read_text() != text
    ]
    assert not stale, f"run `python scripts/gen_provider_docs.py`: stale {stale}"
    on_disk = {str(p.relative_to(ROOT)) for p in (ROOT / catalog.DOCS_DIR).glob("*.md")}
    assert on_disk == set(pages), "pages without a provider: run the generator"


def test_a_provider_page_says_how_to_register_and_configure() -> None:
    page = (ROOT / catalog.DOCS_DIR / "microsoft-entra-id.md").read_text()
    assert "https://app.example.com/api/auth/callback/microsoft-entra-id" in page
    assert "`AUTH_MICROSOFT_ENTRA_ID_ID`" in page and "`AUTH_MICROSOFT_ENTRA_ID_ISSUER`" in page
    assert "`openid profile email User.Read`" in page
    assert "from authcore.providers.microsoft_entra_id import MicrosoftEntraID" in page
    index = (ROOT / catalog.DOCS_DIR / "index.md").read_text()
    assert "[Microsoft Entra ID](microsoft-entra-id.md)" in index


def test_import_authcore_loads_no_provider_module() -> None:
    assert _imported_after("import authcore, authcore.providers") == set()


# Imports each module in a child forked from an interpreter that has loaded authcore and the
# provider model: one fresh import per module, one subprocess for all of them.
_EACH_ALONE = """
import json, os, sys
import authcore, authcore.providers, authcore.providers.oauth
out = {}
for module in sys.argv[1:]:
    read, write = os.pipe()
    if os.fork() == 0:
        before = set(sys.modules)
        __import__(module)
        os.write(write, json.dumps(sorted(set(sys.modules) - before)).encode())
        os._exit(0)
    os.close(write)
    data = b""
    while chunk := os.read(read, 65536):
        data += chunk
    os.close(read)
    os.wait()
    out[module] = json.loads(data)
print(json.dumps(out))
"""


def test_importing_one_provider_loads_only_that_one() -> None:
    """Each built-in provider module alone: no other catalog module, and neither httpx nor
    the OAuth flow (they load at the first request); bench/import_cost.py times it."""
    index = {module for module, _ in catalog_index().values()}
    out = subprocess.run(
        [sys.executable, "-c", _EACH_ALONE, *sorted(index)],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    ).stdout
    loaded: dict[str, list[str]] = json.loads(out)
    assert set(loaded) == index
    heavy = ("httpx", "authcore.oauth", "authcore._flow")
    bad = {
        module: [m for m in added if (m in index and m != module) or m.startswith(heavy)]
        for module, added in loaded.items()
    }
    assert {m: v for m, v in bad.items() if v} == {}


@pytest.mark.parametrize("provider_id", catalog.ids())
def test_every_index_entry_builds_its_provider(provider_id: str) -> None:
    module, export = catalog_index()[provider_id]
    assert module.startswith("authcore.providers.")
    factory = provider_factory(provider_id)
    assert factory.__name__ == export
    provider = factory()
    assert isinstance(provider, OAuthProvider)
    assert provider.id == provider_id
    entry = catalog.entry(provider_id)
    assert entry.summary and entry.name == provider.name


def test_cli_lists_every_provider(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["providers"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in lines] == catalog.ids()
    apple = next(line for line in lines if line.startswith("apple "))
    assert apple.split() == ["apple", "Apple", "oidc", "docs/providers/catalog/apple.md"]
    assert main(["providers", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    by_id = {row["id"]: row for row in rows}
    assert by_id["wechat"] == {
        "id": "wechat",
        "name": "WeChat",
        "type": "oauth",
        "docs": "docs/providers/catalog/wechat.md",
    }


def test_cli_shows_one_provider_and_refuses_an_unknown_one(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["providers", "tiktok"]) == 0
    out = capsys.readouterr().out
    assert "from authcore.providers.tiktok import TikTok" in out
    assert "AUTH_TIKTOK_ID, AUTH_TIKTOK_SECRET" in out
    assert main(["providers", "myspace"]) == 1
    assert "no built-in provider 'myspace'" in capsys.readouterr().err


def test_env_credentials_reach_a_catalog_provider() -> None:
    from authcore.providers.twitter import Twitter

    config = make_config(
        providers=[Twitter()], env={"AUTH_TWITTER_ID": "tw-id", "AUTH_TWITTER_SECRET": "tw-s"}
    )
    b = Browser(config)
    res = b.call("POST", "/signin/twitter", form={"csrfToken": b.csrf()})
    assert res.status == 302 and res.location is not None
    query = parse_qs(urlsplit(res.location).query)
    assert query["client_id"] == ["tw-id"]
    assert query["scope"] == ["users.read tweet.read offline.access"]
    assert query["code_challenge_method"] == ["S256"]
