"""Sign in with Apple: OpenID Connect at `https://appleid.apple.com` with three quirks.

* The answer is a cross-site POST (`response_mode=form_post`), so the check cookies are
  `SameSite=None; Secure` (authcore.oauth does that for any form_post provider).
* The client secret is an ES256 JWT signed with a key from the Apple developer account. Give
  `team_id`, `key_id` and `private_key` (the `.p8` file's text) and a fresh one is signed for
  each token request; or give a pre-signed `client_secret` (it expires within 6 months).
* Apple sends the user's name only once, on the first consent, as a JSON `user` form field;
  it is merged into the profile as `profile["user"]`. Later sign-ins have no name (the
  email stands in, as in Auth.js).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..errors import ConfigError
from .oauth import Endpoint, OIDCProvider, build_provider

__all__ = ["Apple", "AppleProvider"]

ISSUER = "https://appleid.apple.com"
REGISTER_URL = "https://developer.apple.com/account/resources/identifiers/list/serviceId"
SECRET_LIFETIME = 300  # seconds; Apple accepts up to 6 months


@dataclass(frozen=True, kw_only=True)
class AppleProvider(OIDCProvider):
    """`team_id`, `key_id`, `private_key`: sign the client secret per token request."""

    team_id: str | None = None
    key_id: str | None = None
    private_key: Any = None

    def has_client_secret(self) -> bool:
        return bool(self.client_secret) or self._signs_secret()

    def _signs_secret(self) -> bool:
        return bool(self.team_id and self.key_id and self.private_key is not None)

    def validate(self) -> None:
        parts = (self.team_id, self.key_id, self.private_key)
        if any(p is not None for p in parts) and not self._signs_secret():
            raise ConfigError(
                f"provider {self.id!r}: give team_id, key_id and private_key together",
                option="private_key",
            )
        if self._signs_secret():
            from ..oauth._client_auth import load_private_key

            try:
                load_private_key(self.private_key)
            except ValueError as exc:
                raise ConfigError(
                    f"provider {self.id!r}: private_key: {exc}", option="private_key"
                ) from None
        super().validate()

    def client_secret_at(self, now: float) -> str | None:
        if not self._signs_secret():
            return self.client_secret
        from ..oauth._client_auth import load_private_key, sign_jwt

        iat = int(now)
        claims = {
            "iss": self.team_id,
            "iat": iat,
            "exp": iat + SECRET_LIFETIME,
            "aud": self.issuer or ISSUER,
            "sub": self.client_id,
        }
        return sign_jwt(claims, load_private_key(self.private_key), alg="ES256", kid=self.key_id)

    def callback_profile(
        self, profile: dict[str, Any], params: Mapping[str, str]
    ) -> dict[str, Any]:
        raw = params.get("user")
        if not raw:
            return profile
        try:
            user = json.loads(raw)
        except ValueError:
            return profile  # Auth.js ignores an unreadable `user` too
        return {**profile, "user": user} if isinstance(user, dict) else profile

    def default_profile(self, profile: dict[str, Any], tokens: dict[str, Any]) -> dict[str, Any]:
        return {
            "id": profile.get("sub"),
            "name": _full_name(profile.get("user")) or profile.get("email"),
            "email": profile.get("email"),
            "image": None,
        }


def _full_name(user: Any) -> str | None:
    """ "First Last" from Apple's `user.name`; None when it is missing (Auth.js throws on a
    `user` without `name` and writes "undefined" for a missing half)."""
    name = user.get("name") if isinstance(user, dict) else None
    if not isinstance(name, dict):
        return None
    parts = [name.get(k) for k in ("firstName", "lastName")]
    text = " ".join(p.strip() for p in parts if isinstance(p, str) and p.strip())
    return text or None


def Apple(**options: Any) -> AppleProvider:
    """`Apple(client_id=<Services ID>, team_id=..., key_id=..., private_key=<.p8 text>)`, or
    `client_secret=<pre-signed JWT>`; scope `name email`."""
    defaults = AppleProvider(
        id="apple",
        name="Apple",
        issuer=ISSUER,
        authorization=Endpoint(None, (("scope", "name email"), ("response_mode", "form_post"))),
        token_endpoint_auth_method="client_secret_post",
        checks=("nonce", "state"),
        style={"text": "#fff", "bg": "#000"},
    )
    return build_provider(defaults, options)
