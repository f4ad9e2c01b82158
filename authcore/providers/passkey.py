"""Passkeys: sign-in with WebAuthn credentials (Auth.js `@auth/core/providers/passkey` and
`providers/webauthn.ts` at `@auth/core@0.41.3`).

Experimental in Auth.js and here: a config with this provider needs
`experimental={"enable_webauthn": True}` and a store with the WebAuthn methods
(`authcore.stores.WEBAUTHN_METHODS`). Verification uses py_webauthn, the optional extra
`authcore[webauthn]`, imported only when a passkey is verified.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..errors import ConfigError
from ._base import Provider, ProviderType

__all__ = ["DEFAULT_WEBAUTHN_TIMEOUT", "Passkey", "WebAuthnProvider"]

DEFAULT_WEBAUTHN_TIMEOUT = 5 * 60 * 1000  # milliseconds, as Auth.js
_RP_KEYS = frozenset({"id", "name", "origin"})
_USER_VERIFICATION = frozenset({"required", "preferred", "discouraged"})
_RESIDENT_KEY = frozenset({"required", "preferred", "discouraged"})


def _default_form_fields() -> dict[str, dict[str, Any]]:
    return {"email": {"label": "Email", "required": True, "autocomplete": "username webauthn"}}


@dataclass(frozen=True, kw_only=True)
class WebAuthnProvider(Provider):
    """A WebAuthn provider. `relying_party` = `{"id", "name", "origin"}`, each a string or a
    list of strings; unset, they come from the request's URL (or `url` / `AUTH_URL`): the
    host name, the host, the origin. The options are sent first (Auth.js uses the first
    element too); every listed origin is accepted when verifying."""

    id: str = "webauthn"
    name: str = "WebAuthn"
    type: ProviderType = "webauthn"
    relying_party: Mapping[str, str | Sequence[str]] | None = None
    timeout: int = DEFAULT_WEBAUTHN_TIMEOUT
    user_verification: str = "preferred"
    resident_key: str = "preferred"
    require_user_verification: bool = False
    enable_conditional_ui: bool = True
    form_fields: Mapping[str, Mapping[str, Any]] = field(default_factory=_default_form_fields)

    def validate(self) -> None:
        rp = self.relying_party
        if rp is not None:
            if not isinstance(rp, Mapping) or set(rp) - _RP_KEYS:
                raise ConfigError(
                    "`relying_party` must be a dict with keys id, name, origin",
                    option="relying_party",
                )
            for key, value in rp.items():
                values = [value] if isinstance(value, str) else value
                if (
                    isinstance(value, (bytes, Mapping))
                    or not isinstance(values, Sequence)
                    or not values
                    or not all(isinstance(v, str) and v for v in values)
                ):
                    raise ConfigError(
                        f"`relying_party.{key}` must be a non-empty string or list of strings",
                        option="relying_party",
                    )
            origins = rp.get("origin")
            for origin in [origins] if isinstance(origins, str) else origins or []:
                if not origin.startswith(("https://", "http://")) or origin.count("/") != 2:
                    raise ConfigError(
                        f"`relying_party.origin` {origin!r} must be an origin like "
                        "https://example.com (no path)",
                        option="relying_party",
                    )
        if not isinstance(self.timeout, int) or isinstance(self.timeout, bool) or self.timeout <= 0:
            raise ConfigError("`timeout` must be a positive number of ms", option="timeout")
        if self.user_verification not in _USER_VERIFICATION:
            raise ConfigError(
                "`user_verification` must be required, preferred or discouraged",
                option="user_verification",
            )
        if self.resident_key not in _RESIDENT_KEY:
            raise ConfigError(
                "`resident_key` must be required, preferred or discouraged",
                option="resident_key",
            )
        if not isinstance(self.form_fields, Mapping) or not all(
            isinstance(k, str) and isinstance(v, Mapping) for k, v in self.form_fields.items()
        ):
            raise ConfigError("`form_fields` must be a dict of dicts", option="form_fields")
        if self.enable_conditional_ui and not any(
            "webauthn" in str(f.get("autocomplete", "")) for f in self.form_fields.values()
        ):
            raise ConfigError(
                f"Provider {self.id!r} has enable_conditional_ui set, but none of its "
                "form_fields has 'webauthn' in its autocomplete",
                option="form_fields",
            )


def Passkey(**options: Any) -> WebAuthnProvider:
    """The passkey provider: id `passkey`, discoverable credentials and user verification
    required, as Auth.js's `Passkey()`. Options override the defaults."""
    defaults: dict[str, Any] = {
        "id": "passkey",
        "name": "Passkey",
        "user_verification": "required",
        "resident_key": "required",
        "require_user_verification": True,
    }
    defaults.update(options)
    return WebAuthnProvider(**defaults)
