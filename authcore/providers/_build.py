"""`build_provider`: user options merged over a provider's defaults.

Auth.js merges user options over provider defaults with a deep merge that loses the default
URL when only `params` is overridden and merges arrays by index (Auth.js
`src/lib/utils/providers.ts`; docs/differences.md row 14). Here the rules are small and predictable
instead:

* `authorization` / `token` / `userinfo`: a string replaces the URL and keeps the default
  params (the URL's own query wins over them); a mapping `{"url", "params"}` replaces the URL
  only when it has one and merges `params` key by key (a `None` value removes a default).
* lists (`checks`) replace, they never merge by index; `style` merges key by key.
* `scope=` is a shortcut for `authorization={"params": {"scope": ...}}`; a list is joined with
  the provider's separator (a space, a comma for Instagram).
* `profile=` is the mapper (a callable); a string there is read as the userinfo URL, as some
  users write it.
* no default `openid profile email` scope for plain OAuth 2 providers (docs/differences.md row 6).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from ..errors import ConfigError
from ._endpoint import Endpoint
from ._options import snake_case_options, unknown_option

if TYPE_CHECKING:
    from .oauth import OAuthProvider

__all__ = ["build_provider"]

P = TypeVar("P", bound="OAuthProvider")


def build_provider(defaults: P, options: Mapping[str, Any]) -> P:
    """Merge user options over a provider's defaults (the rules are in this module's docstring)."""
    names = {f.name for f in dataclasses.fields(defaults)}
    opts = snake_case_options(defaults.id, options, names | defaults.option_aliases)
    sep = opts.pop("scope_separator", defaults.scope_separator)
    changes: dict[str, Any] = {"scope_separator": sep}

    profile = opts.pop("profile", None)
    if isinstance(profile, str):  # seed style: `profile="<userinfo url>"`
        if "userinfo" in opts:
            raise ConfigError("give the userinfo URL once: profile= or userinfo=", option="profile")
        opts["userinfo"] = profile
    elif profile is not None:
        changes["profile"] = profile

    client = opts.pop("client", None)  # Auth.js `client: {token_endpoint_auth_method}`
    if client is not None:
        if not isinstance(client, Mapping):
            raise ConfigError("client must be a mapping", option="client")
        method = client.get("token_endpoint_auth_method")
        if method is not None:
            opts.setdefault("token_endpoint_auth_method", method)
        for key in ("id_token_signed_response_alg", "userinfo_signed_response_alg"):
            if client.get(key) is not None:
                opts.setdefault(key, client[key])
    # Auth.js accepts it but never uses it (Auth.js `src/providers/oauth.ts`)
    opts.pop("wellKnown", None)

    # Auth.js hooks nested in endpoint objects: `token.conform`, `userinfo.request`.
    for name, hook, field_name in (
        ("token", "conform", "conform"),
        ("userinfo", "request", "userinfo_request"),
    ):
        endpoint = opts.get(name)
        if isinstance(endpoint, Mapping) and hook in endpoint:
            if field_name in opts:
                raise ConfigError(
                    f"give {field_name} once: {name}={{'{hook}'}} or {field_name}=",
                    option=field_name,
                )
            rest = dict(endpoint)
            opts[field_name] = rest.pop(hook)
            opts[name] = rest
    token_opt = opts.get("token")
    if isinstance(token_opt, Mapping) and "request" in token_opt:
        raise ConfigError(
            "token={'request'} is not supported (Auth.js 0.41.3 ignores it too); "
            "did you mean token={'conform': fn}, which rewrites the token response?",
            option="request",
        )

    for name in ("authorization", "token", "userinfo"):
        if name in opts:
            base: Endpoint = changes.get(name, getattr(defaults, name))
            changes[name] = base.merged(opts.pop(name), separator=sep)
    scope = opts.pop("scope", None)
    if scope is not None:
        base_auth: Endpoint = changes.get("authorization", defaults.authorization)
        changes["authorization"] = base_auth.with_params({"scope": scope}, separator=sep)
    if "checks" in opts:
        checks = opts.pop("checks")
        if isinstance(checks, str):
            checks = [checks]
        changes["checks"] = tuple(checks)
    if "authorization_query_params" in opts:
        changes["authorization_query_params"] = tuple(opts.pop("authorization_query_params"))
    if "style" in opts:
        changes["style"] = {**defaults.style, **(opts.pop("style") or {})}
    for key in list(opts):
        if key not in names:
            raise unknown_option(defaults.id, key, names | defaults.option_aliases)
        changes[key] = opts.pop(key)
    return dataclasses.replace(defaults, **changes)
