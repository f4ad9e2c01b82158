"""The provider fixtures: one JSON file per provider in `fixtures/`, shared by the
differential tests (tests/interop/test_provider_differential.py) and the conformance suite.

A provider joins both by adding `fixtures/<authjs id>.json`:

* `id`, `export`: the Auth.js id and export name; the module is `authcore.providers.<module>`
  (`module` defaults to the id with `-` as `_`) and exports a factory named `export`;
  `authjs_function` when Auth.js's function has another name than its documented import
  (`PinterestProvider`, imported as `Pinterest`); `authjs_file` when Auth.js's file is not
  named after the id (`ory-hydra.js` holds `hydra`).
* `source`: where the recorded shapes come from (the provider's public documentation).
* `options`: extra options given to both the Auth.js and the authcore provider (an issuer).
* `token`: the recorded token response; `userinfo` and/or `id_token_claims`: the profile;
  `profile_path` (dotted) when the profile is inside the userinfo answer (Todoist's `user`).
* `profile_from_tokens`: keys the provider's profile request copies from the token answer
  into the profile (VK's `email`, in Auth.js's `userinfo.request` and authcore's
  `fetch_profile`), so the mappers are compared on the profile they really get.
* `token_call`: a token call that is not RFC 6749's, as the mock reads it back
  (`authcore.testing.TokenCall`): `method`, `names` (RFC 6749 name -> the provider's),
  `grant_type`, `names_no_client` (the call carries no client id: Azure DevOps) and
  `sends_redirect_uri` (false: WeChat). A `response_mode=form_post` provider and another
  `response_type` need no field: the provider model says so.
* `signed_client_secret`: `{"alg": "ES256", "options": {"team_id": ..., "key_id": ...}}`:
  the full sign-in gives the provider a fresh private key (option `private_key`) and these
  options instead of a client secret, and the mock checks the secret JWT signed with it
  per token request (Apple).
* `user`: the expected `{id, name, email, image}`; `{issuer}` in a value stands for the
  provider's issuer (Nextcloud's avatar URL is on the instance).
* `numeric_id`: the profile key holding a numeric id (the suite swaps in a 64-bit one).
* `without_optional`: `{"remove": [profile keys, dotted for nested ones], "user": {the
  fields then expected}}`.
* `errors`: `{"token": {"status", "body"}, "userinfo": {"status", "body"}}` as documented.
* `differences`: comparison keys where authcore deliberately differs from Auth.js, each
  `"docs/differences.md row N: why"` with N a numbered row of the catalog table about this
  provider (test_differences.py checks both ways); `authorization.<param>` names one
  authorization URL parameter whose value differs, `user.<key>` one field of the user,
  `signin` a provider Auth.js cannot start, `profile` a documented profile Auth.js's
  `profile()` throws on (the test checks it still does), `callback` a difference in the
  token or profile step that the comparison cannot see (a token answer Auth.js refuses).
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from authcore.providers.oauth import OAuthProvider

__all__ = ["FIXTURES_DIR", "ProviderFixture", "load_fixtures"]

FIXTURES_DIR = Path(__file__).resolve().parent / "fixtures"


@dataclass(frozen=True)
class ProviderFixture:
    id: str
    export: str
    module: str
    source: str
    user: dict[str, Any]
    token: dict[str, Any]
    userinfo: Any = None
    id_token_claims: dict[str, Any] | None = None
    options: dict[str, Any] = field(default_factory=dict)
    authjs_function: str | None = None
    authjs_file: str | None = None
    profile_path: str | None = None
    profile_from_tokens: tuple[str, ...] = ()
    token_call: dict[str, Any] | None = None
    signed_client_secret: dict[str, Any] | None = None
    numeric_id: str | None = None
    without_optional: dict[str, Any] | None = None
    errors: dict[str, dict[str, Any]] = field(default_factory=dict)
    differences: dict[str, str] = field(default_factory=dict)

    def factory(self) -> Callable[..., OAuthProvider]:
        module = importlib.import_module(f"authcore.providers.{self.module}")
        built: Callable[..., OAuthProvider] = getattr(module, self.export)
        return built

    def provider(self, **options: Any) -> OAuthProvider:
        return self.factory()(
            client_id="client-id", client_secret="client-secret", **{**self.options, **options}
        )

    def expected_user(self, provider: OAuthProvider, user: dict[str, Any]) -> dict[str, Any]:
        base = (provider.issuer or "").rstrip("/")
        return {
            k: v.replace("{issuer}", base) if isinstance(v, str) else v for k, v in user.items()
        }

    def profile(self, provider: OAuthProvider) -> dict[str, Any]:
        """What the provider's profile mapper is given: the userinfo answer, or the ID token's
        claims for an OpenID provider that reads its profile from there."""
        uses_claims = provider.type == "oidc" and getattr(provider, "id_token", True)
        source = self.id_token_claims if uses_claims else self.userinfo
        located = self.locate(source, uses_claims)
        return {**located, **{k: self.token[k] for k in self.profile_from_tokens}}

    def locate(self, source: Any, uses_claims: bool) -> dict[str, Any]:
        """The profile inside a userinfo answer (`profile_path`), or the answer itself."""
        if not uses_claims and self.profile_path:
            for key in self.profile_path.split("."):
                source = source[int(key)] if isinstance(source, list) else source[key]
        assert isinstance(source, dict), f"{self.id}: fixture has no profile for this provider"
        return source


def load_fixtures() -> list[ProviderFixture]:
    out = []
    for path in sorted(FIXTURES_DIR.glob("*.json")):
        raw = json.loads(path.read_text(encoding="utf-8"))
        raw.setdefault("module", raw["id"].replace("-", "_"))
        raw["profile_from_tokens"] = tuple(raw.get("profile_from_tokens", ()))
        fixture = ProviderFixture(**raw)
        assert path.stem == fixture.id, f"{path.name} holds provider {fixture.id!r}"
        out.append(fixture)
    return out
