"""Switches that make the mock misbehave the way real identity providers do."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Any, Literal, get_args

__all__ = ["MAX_DELAY", "BodyFault", "Faults", "IdTokenFault"]

MAX_DELAY = 60.0
"""Upper bound of every `*_delay`; delays are cut short when the server stops."""

BodyFault = Literal[
    "invalid_json",  # truncated JSON
    "html",  # an HTML error page with status 200
    "huge",  # a valid JSON object of several MB
    "empty",  # zero bytes
    "not_object",  # a JSON array instead of an object
    "missing_access_token",  # token/exchange bodies without `access_token`
    "missing_id",  # userinfo without `id` / `sub` / `user_id`
]

IdTokenFault = Literal[
    "expired",  # exp an hour ago
    "future_iat",  # issued an hour from now
    "unsigned",  # alg "none", empty signature
    "bad_signature",  # one signature bit flipped
    "wrong_aud",  # aud is another client
    "multiple_aud_no_azp",  # aud [client, other] without azp
    "wrong_iss",  # iss of another issuer
    "missing_sub",
    "missing_iat",
    "missing_exp",
    "missing_kid",  # no kid in the header
    "unknown_kid",  # kid not in the JWKS
    "hs256_with_public_key",  # HS256 keyed with the RSA public key PEM (key confusion)
    "malformed",  # not a JWS at all
]

_STATUS_FIELDS = {"token_status", "exchange_status", "userinfo_status", "emails_status"}
_BODY_FIELDS = {"token_body", "exchange_body", "userinfo_body", "emails_body"}
_DELAY_FIELDS = {"token_delay", "exchange_delay", "userinfo_delay", "emails_delay"}
_BOOL_FIELDS = {
    "token_redirect",
    "wrong_state",
    "wrong_iss",
    "missing_iss",
    "wrong_nonce",
    "userinfo_sub_mismatch",
    "exchange_rate_limited",
}


@dataclass
class Faults:
    """All off by default; `MockIdP.reset()` turns them off again.

    Endpoint groups: *token* is the code exchange (`/instagram/oauth/access_token`,
    `/oauth2/token`, `/oidc/token`); *exchange* is Instagram's `ig_exchange_token` and
    `ig_refresh_token`; *userinfo* is `/instagram/graph/me`, `/oauth2/userinfo`,
    `/oidc/userinfo`; *emails* is `/oauth2/user/emails`. Values are checked on assignment,
    so a typo fails loudly instead of silently testing nothing.
    """

    token_status: int | None = None
    token_body: BodyFault | None = None
    token_delay: float = 0.0
    token_redirect: bool = False  # 302 from the token endpoint
    exchange_status: int | None = None
    exchange_body: BodyFault | None = None
    exchange_delay: float = 0.0
    userinfo_status: int | None = None
    userinfo_body: BodyFault | None = None
    userinfo_delay: float = 0.0
    emails_status: int | None = None
    emails_body: BodyFault | None = None
    emails_delay: float = 0.0
    content_type: str | None = None  # Content-Type of token/exchange/userinfo/emails answers
    error: str | None = None  # authorize redirects back with ?error=<value>
    wrong_state: bool = False  # authorize redirects back with another state
    wrong_iss: bool = False  # authorize redirect carries another `iss` (oidc)
    missing_iss: bool = False  # authorize redirect carries no `iss` (oidc)
    wrong_nonce: bool = False  # ID token nonce differs from the authorize one
    id_token: IdTokenFault | None = None
    userinfo_sub_mismatch: bool = False  # oidc userinfo `sub` differs from the ID token
    # Instagram's exchange and refresh answer the Graph rate-limit error (code 4, transient)
    exchange_rate_limited: bool = False

    if not TYPE_CHECKING:  # hidden from mypy so a misspelt switch stays a static error too

        def __setattr__(self, name: str, value: Any) -> None:
            _check(name, value)
            super().__setattr__(name, value)

    def status(self, group: str) -> int | None:
        value: int | None = getattr(self, f"{group}_status")
        return value

    def body(self, group: str) -> BodyFault | None:
        value: BodyFault | None = getattr(self, f"{group}_body")
        return value

    def delay(self, group: str) -> float:
        value: float = getattr(self, f"{group}_delay")
        return value


def fault_names() -> frozenset[str]:
    return frozenset(f.name for f in fields(Faults))


def _check(name: str, value: Any) -> None:
    if name in _STATUS_FIELDS:
        ok = value is None or (type(value) is int and 100 <= value <= 599)
        expected = "None or an HTTP status 100-599"
    elif name in _BODY_FIELDS:
        ok = value is None or value in get_args(BodyFault)
        expected = f"None or one of {get_args(BodyFault)}"
    elif name in _DELAY_FIELDS:
        ok = isinstance(value, (int, float)) and 0 <= value <= MAX_DELAY
        expected = f"seconds between 0 and {MAX_DELAY}"
    elif name in _BOOL_FIELDS:
        ok = isinstance(value, bool)
        expected = "a bool"
    elif name == "id_token":
        ok = value is None or value in get_args(IdTokenFault)
        expected = f"None or one of {get_args(IdTokenFault)}"
    elif name in ("content_type", "error"):
        ok = value is None or (isinstance(value, str) and value.isprintable() and value != "")
        expected = "None or a non-empty printable str"
    else:
        raise AttributeError(f"Faults has no switch {name!r}")
    if not ok:
        raise ValueError(f"Faults.{name} must be {expected}, not {value!r}")
