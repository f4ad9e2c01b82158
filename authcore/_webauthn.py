"""WebAuthn without the verification library: the relying party, the options JSON, the
sealed challenge cookie and Auth.js's storage encoding (`@auth/core@0.41.3`
`packages/core/src/lib/utils/webauthn-utils.ts` and `lib/actions/callback/oauth/checks.ts`,
`webauthnChallenge`).

The options have the shape `@simplewebauthn/server` 9 gives Auth.js (what its browser
script reads). The challenge cookie is Auth.js's (`{challenge, registerData}` encrypted with
salt `encodedWebauthnChallenge`, 15 minutes) plus three bindings it lacks
(docs/differences.md#passkeys): the provider, the ceremony (register or authenticate) and,
when the options named an existing user, that user's id. A challenge is used once: the
cookie is cleared on use and this process refuses a challenge it has seen.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import re
import secrets
import threading
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import urlsplit

from . import jwt
from ._cookies import Cookie, CookieDef, ParsedCookies
from .errors import WebAuthnVerificationError
from .jose import base64url

__all__ = [
    "CHALLENGE_MAX_AGE",
    "Challenge",
    "RelyingParty",
    "authentication_options",
    "credential_key",
    "registration_options",
    "relying_party",
    "seal_challenge",
    "transports_from_string",
    "transports_to_string",
    "unseal_challenge",
    "user_handle",
    "verify_user_handle",
]

CHALLENGE_MAX_AGE = 60 * 15  # seconds, as Auth.js
CHALLENGE_SALT = "encodedWebauthnChallenge"
Ceremony = Literal["register", "authenticate"]
_HANDLE_PREFIX = "ac1."
_TRANSPORT = re.compile(r"[a-z][a-z0-9-]{0,31}")
# @simplewebauthn/server 9's default algorithms: Ed25519, ES256, RS256.
_ALGORITHMS = (-8, -7, -257)


@dataclass(frozen=True, slots=True)
class RelyingParty:
    id: str
    name: str
    origins: tuple[str, ...]  # the first is the one a browser is expected to be on


def _listed(value: str | Sequence[str] | None) -> list[str]:
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


def relying_party(configured: Mapping[str, Any] | None, origin: str) -> RelyingParty:
    """Auth.js `getRelayingParty`: the configured values, else the request origin's host
    name (id), host (name) and origin."""
    rp = configured or {}
    host = urlsplit(origin)
    ids, names, origins = _listed(rp.get("id")), _listed(rp.get("name")), _listed(rp.get("origin"))
    return RelyingParty(
        id=ids[0] if ids else (host.hostname or ""),
        name=names[0] if names else host.netloc,
        origins=tuple(origins) if origins else (origin,),
    )


def credential_key(raw: object) -> str:
    """A credential id as the store keys it: standard base64 with padding (Auth.js
    `toBase64(fromBase64(id))`), from the base64url a browser sends or the base64 a store
    holds. Raises ValueError for anything else."""
    if not isinstance(raw, str) or not raw or len(raw) > 1400:
        raise ValueError("credential id must be a non-empty base64 string")
    text = raw.rstrip("=").replace("-", "+").replace("_", "/")
    try:
        data = base64.b64decode(text + "=" * (-len(text) % 4), validate=True)
    except (binascii.Error, ValueError):
        raise ValueError("credential id is not base64") from None
    if not data:
        raise ValueError("credential id is empty")
    return base64.b64encode(data).decode("ascii")


def _to_b64url(stored: str) -> str:
    return base64url.encode(base64.b64decode(stored))


def transports_to_string(value: object) -> str | None:
    """Auth.js `transportsToString`: the browser's list, comma-joined (None when absent);
    names that are not transports are dropped."""
    if not isinstance(value, list):
        return None
    kept = [t for t in value[:16] if isinstance(t, str) and _TRANSPORT.fullmatch(t)]
    return ",".join(kept) if kept else None


def transports_from_string(value: object) -> list[str] | None:
    if not isinstance(value, str) or not value:
        return None
    return [t for t in value.split(",") if t]


def _descriptors(authenticators: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for a in authenticators:
        item: dict[str, Any] = {"id": _to_b64url(a["credential_id"]), "type": "public-key"}
        transports = transports_from_string(a.get("transports"))
        if transports:
            item["transports"] = transports
        out.append(item)
    return out


def new_challenge() -> str:
    return base64url.encode(secrets.token_bytes(32))


def user_handle(key_secret: str, user_id: str | None) -> str:
    """The WebAuthn user handle of a registration. For a user known when the options are
    made it is `ac1.` + an HMAC of the user id, so an assertion carrying another user's
    handle is refused; for a user still to be created it is random, as in Auth.js."""
    if user_id is None:
        return secrets.token_hex(32)
    mac = hmac.new(
        key_secret.encode("utf-8"), f"authcore-webauthn-user:{user_id}".encode(), hashlib.sha256
    ).digest()
    return _HANDLE_PREFIX + base64url.encode(mac)


def verify_user_handle(key_secrets: Sequence[str], handle: bytes | None, user_id: str) -> None:
    """An `ac1.` handle must be the signed-in-to user's; others (random, or made by Auth.js)
    carry nothing to check."""
    if not handle or not handle.startswith(_HANDLE_PREFIX.encode()):
        return
    for key in key_secrets:
        if hmac.compare_digest(handle, user_handle(key, user_id).encode("ascii")):
            return
    raise WebAuthnVerificationError("The passkey's user handle belongs to another user")


def registration_options(  # noqa: PLR0917  (one value per options field)
    provider: Any,
    rp: RelyingParty,
    user: Mapping[str, Any],
    handle: str,
    challenge: str,
    existing: Sequence[Mapping[str, Any]],
) -> dict[str, Any]:
    """`generateRegistrationOptions` of @simplewebauthn/server 9, as Auth.js calls it."""
    options: dict[str, Any] = {
        "challenge": challenge,
        "rp": {"name": rp.name, "id": rp.id},
        "user": {
            "id": handle,
            "name": user["email"],
            "displayName": user.get("name") or "",
        },
        "pubKeyCredParams": [{"alg": alg, "type": "public-key"} for alg in _ALGORITHMS],
        "timeout": provider.timeout,
        "attestation": "none",
        "excludeCredentials": _descriptors(existing),
        "authenticatorSelection": {
            "residentKey": provider.resident_key,
            "userVerification": provider.user_verification,
            "requireResidentKey": provider.resident_key == "required",
        },
        "extensions": {"credProps": True},
    }
    return options


def authentication_options(
    provider: Any, rp: RelyingParty, challenge: str, allowed: Sequence[Mapping[str, Any]] | None
) -> dict[str, Any]:
    """`generateAuthenticationOptions` of @simplewebauthn/server 9, as Auth.js calls it."""
    options: dict[str, Any] = {"challenge": challenge}
    if allowed is not None:
        options["allowCredentials"] = _descriptors(allowed)
    options.update(timeout=provider.timeout, userVerification=provider.user_verification)
    options["rpId"] = rp.id
    return options


@dataclass(frozen=True, slots=True)
class Challenge:
    value: str  # base64url
    ceremony: Ceremony
    register_data: dict[str, Any] | None
    user_id: str | None


def seal_challenge(
    cookie: CookieDef,
    key_secrets: Sequence[str],
    now: float,
    *,
    provider_id: str,
    challenge: Challenge,
) -> Cookie:
    token: dict[str, Any] = {
        "challenge": challenge.value,
        "provider": provider_id,
        "ceremony": challenge.ceremony,
    }
    if challenge.register_data is not None:
        token["registerData"] = challenge.register_data
    if challenge.user_id is not None:
        token["userId"] = challenge.user_id
    sealed = jwt.encode(
        token=token,
        secret=tuple(key_secrets),
        salt=CHALLENGE_SALT,
        max_age=CHALLENGE_MAX_AGE,
        now=now,
    )
    return cookie.make(sealed, expires=now + CHALLENGE_MAX_AGE)


class _UsedChallenges:
    """Challenges this process has accepted a response for, until they expire."""

    def __init__(self, cap: int = 100_000) -> None:
        self._seen: OrderedDict[str, float] = OrderedDict()
        self._lock = threading.Lock()
        self._cap = cap

    def first_use(self, challenge: str, now: float) -> bool:
        with self._lock:
            while self._seen and next(iter(self._seen.values())) <= now:
                self._seen.popitem(last=False)
            if challenge in self._seen:
                return False
            self._seen[challenge] = now + CHALLENGE_MAX_AGE
            while len(self._seen) > self._cap:
                self._seen.popitem(last=False)
            return True


_used = _UsedChallenges()


def unseal_challenge(
    cookie: CookieDef,
    cookies: ParsedCookies,
    key_secrets: Sequence[str],
    now: float,
    *,
    provider_id: str,
    ceremony: Ceremony,
    max_chars: int,
) -> Challenge:
    """The challenge of this browser's cookie for this provider and ceremony, once."""
    name = cookie.name
    raw = cookies.values.get(name)
    if raw is None or name in cookies.duplicates or len(raw) > max_chars:
        raise WebAuthnVerificationError("WebAuthn challenge was missing", check="webauthnChallenge")
    try:
        payload = jwt.decode(token=raw, secret=tuple(key_secrets), salt=CHALLENGE_SALT, now=now)
    except jwt.InvalidToken as exc:
        raise WebAuthnVerificationError(
            f"WebAuthn challenge cookie is invalid or expired ({exc.code})",
            check="webauthnChallenge",
        ) from None
    value = payload.get("challenge")
    provider = payload.get("provider")
    if not isinstance(value, str) or not value or not isinstance(provider, str):
        raise WebAuthnVerificationError(
            "WebAuthn challenge cookie holds no challenge", check="webauthnChallenge"
        )
    if not hmac.compare_digest(provider.encode(), provider_id.encode()):
        raise WebAuthnVerificationError(
            "WebAuthn challenge cookie belongs to another provider", check="webauthnChallenge"
        )
    if payload.get("ceremony") != ceremony:
        raise WebAuthnVerificationError(
            f"WebAuthn challenge cookie was not made to {ceremony}", check="webauthnChallenge"
        )
    if not _used.first_use(value, now):
        raise WebAuthnVerificationError(
            "WebAuthn challenge was already used", check="webauthnChallenge"
        )
    register_data = payload.get("registerData")
    user_id = payload.get("userId")
    return Challenge(
        value=value,
        ceremony=ceremony,
        register_data=dict(register_data) if isinstance(register_data, Mapping) else None,
        user_id=user_id if isinstance(user_id, str) else None,
    )
