"""Value types of the mock identity provider: clients, users, recorded requests."""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass, field
from typing import Any, Literal
from urllib.parse import unquote_plus

__all__ = [
    "ClientAuth",
    "Flavour",
    "IdTokenAlg",
    "InstagramTokenShape",
    "InstagramUser",
    "MockClient",
    "OAuth2Email",
    "OAuth2User",
    "OIDCUser",
    "RecordedRequest",
]

Flavour = Literal["instagram", "oauth2", "oidc", "scripted"]
InstagramTokenShape = Literal[
    "flat",
    "data_wrapped",
    "string_user_id",
    "with_token_type",
    "permissions_list",
    "permissions_string",
]
IdTokenAlg = Literal["RS256", "ES256", "EdDSA"]
ClientAuth = Literal[
    "client_secret_basic", "client_secret_post", "client_secret_jwt", "private_key_jwt", "none"
]


@dataclass(frozen=True)
class MockClient:
    """A registered OAuth client. `redirect_uris=None` accepts any http(s) redirect URI at
    authorize (random test ports make registration a chore); the token request must still
    repeat the authorize `redirect_uri` byte for byte."""

    client_id: str
    client_secret: str
    redirect_uris: tuple[str, ...] | None = None
    # The one method this client must use (`none`: a public client, PKCE required), or None
    # for any secret-based one; `public_key` verifies its `private_key_jwt` assertions.
    auth_method: ClientAuth | None = None
    public_key: Any = None


@dataclass(frozen=True)
class InstagramUser:
    """A professional Instagram account as Graph `/me` describes it
    (docs/providers/instagram.md#the-profile).

    `user_id` is above 2**53 and odd on purpose: a client that parses it through a float
    rounds it (Meta's doc sample 17841405793187218 is even, hence exact as a double, and
    would hide the bug). `id` (the app-scoped id `/me` and the token response carry) differs
    from `user_id` by default, as on real accounts, so a test catches code that keys on the
    wrong one; `id=None` makes them equal. `profile_picture_url=None` serves an avatar from
    the mock itself."""

    user_id: int = 17841405793187219
    username: str = "mock_business"
    name: str = "Mock Business"
    account_type: str = "BUSINESS"
    profile_picture_url: str | None = None
    id: int | None = 27054281962813457
    followers_count: int = 1234
    follows_count: int = 56
    media_count: int = 78

    @property
    def app_scoped_id(self) -> int:
        return self.user_id if self.id is None else self.id


@dataclass(frozen=True)
class OAuth2Email:
    """One entry of GitHub's `GET /user/emails` list."""

    email: str
    primary: bool = False
    verified: bool = True
    visibility: str | None = None


@dataclass(frozen=True)
class OAuth2User:
    """A GitHub-like account: public `email` is null, the address lives in `/user/emails`."""

    id: int = 1234
    login: str = "octo"
    name: str | None = "Octo Cat"
    email: str | None = None
    avatar_url: str | None = None
    emails: tuple[OAuth2Email, ...] = (
        OAuth2Email("octo@example.com", primary=True, verified=True, visibility="private"),
        OAuth2Email("1234+octo@users.noreply.example.com", primary=False, verified=True),
    )


@dataclass(frozen=True)
class OIDCUser:
    """An OpenID Connect end user (standard claims, OIDC Core §5.1)."""

    sub: str = "248289761001"
    email: str | None = "jane.doe@example.com"
    email_verified: bool = True
    name: str | None = "Jane Doe"
    picture: str | None = None


@dataclass(frozen=True)
class RecordedRequest:
    """One request as the mock received it. Tests assert on it, e.g. that the client secret
    travelled in the form body and not in an `Authorization: Basic` header."""

    method: str
    path: str
    raw_query: str
    query_pairs: tuple[tuple[str, str], ...]
    headers: dict[str, str]  # lower-cased names; repeated headers joined with ", "
    body: bytes
    form_pairs: tuple[tuple[str, str], ...] = ()
    query: dict[str, str] = field(init=False)
    form: dict[str, str] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "query", _first_values(self.query_pairs))
        object.__setattr__(self, "form", _first_values(self.form_pairs))

    @property
    def basic_auth(self) -> tuple[str, str] | None:
        """`(client_id, client_secret)` from `Authorization: Basic`, form-decoded as
        RFC 6749 §2.3.1 asks, or None."""
        return parse_basic(self.headers.get("authorization", ""))

    @property
    def bearer_token(self) -> str | None:
        scheme, _, value = self.headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not value.strip():
            return None
        return value.strip()

    def param(self, name: str) -> str | None:
        """A parameter from the form body, else from the query."""
        return self.form.get(name, self.query.get(name))

    def duplicates(self) -> set[str]:
        """Parameter names sent more than once (RFC 6749 §3.1 forbids it)."""
        seen: set[str] = set()
        dup: set[str] = set()
        for name, _ in (*self.query_pairs, *self.form_pairs):
            (dup if name in seen else seen).add(name)
        return dup


def _first_values(pairs: tuple[tuple[str, str], ...]) -> dict[str, str]:
    out: dict[str, str] = {}
    for name, value in pairs:
        out.setdefault(name, value)
    return out


def parse_basic(header: str) -> tuple[str, str] | None:
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        decoded = base64.b64decode(value.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None
    user, sep, password = decoded.partition(":")
    if not sep:
        return None
    return unquote_plus(user), unquote_plus(password)
