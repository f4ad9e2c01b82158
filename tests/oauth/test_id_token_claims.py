"""ID-token claims are parsed strictly: a signed token with a duplicated claim, a never-ending
`exp` (`1e400` parses to infinity) or a non-numeric `nbf` is refused."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest

from authcore.jose.jws import sign_compact
from authcore.oauth import clear_caches
from authcore.oauth._id_token import IdTokenError, validate_id_token
from tests.support.jwks import ISSUER, KEY, METADATA, run_with_jwks
from tests.support.oauth import make_env


def _validate(raw_claims: str, **options: Any) -> dict[str, Any]:
    clear_caches()
    token = sign_compact({"alg": "RS256", "kid": "k1"}, raw_claims.encode(), KEY)
    return run_with_jwks(
        validate_id_token(
            token,
            make_env(),
            provider_id="oidc",
            client_id="client-1",
            metadata=METADATA,
            expected_nonce=None,
            preferred_alg=None,
            clock_tolerance=30,
            jwks_ttl=600,
            **options,
        )
    )


def _claims(**overrides: Any) -> dict[str, Any]:
    now = int(time.time())
    return {"iss": ISSUER, "aud": "client-1", "sub": "u1", "iat": now, "exp": now + 300} | overrides


def test_a_well_formed_token_passes() -> None:
    assert _validate(json.dumps(_claims()))["sub"] == "u1"


@pytest.mark.parametrize(
    "raw",
    [
        # a duplicated claim: two parsers could read two different subjects
        json.dumps(_claims()).replace('"sub": "u1"', '"sub": "u1", "sub": "admin"'),
        # exp that never comes
        json.dumps(_claims()).replace(f'"exp": {_claims()["exp"]}', '"exp": 1e400'),
        json.dumps(_claims()).replace(f'"exp": {_claims()["exp"]}', '"exp": Infinity'),
        json.dumps(_claims(exp=10**400)),
        json.dumps(_claims(nbf="soon")),
        "[1, 2]",
    ],
    ids=["duplicate-sub", "exp-1e400", "exp-Infinity", "exp-huge-int", "nbf-string", "array"],
)
def test_malformed_claims_are_refused(raw: str) -> None:
    with pytest.raises(IdTokenError):
        _validate(raw)


def test_a_future_iat_is_accepted() -> None:
    """A server whose clock lags the provider's (by minutes, even) still signs users in, as
    with Auth.js; exp and nbf keep the tolerance."""
    later = int(time.time()) + 600
    assert _validate(json.dumps(_claims(iat=later, exp=later + 300)))["sub"] == "u1"


def test_a_future_iat_bound_can_be_configured() -> None:
    later = int(time.time()) + 600
    claims = json.dumps(_claims(iat=later, exp=later + 300))
    with pytest.raises(IdTokenError, match="future"):
        _validate(claims, max_iat_skew=300)
    assert _validate(claims, max_iat_skew=3600)["sub"] == "u1"


@pytest.mark.parametrize("claim", ["exp", "nbf"])
def test_exp_and_nbf_keep_the_tolerance(claim: str) -> None:
    sign = -1 if claim == "exp" else 1  # expired a minute ago / valid from a minute on
    now = int(time.time())
    with pytest.raises(IdTokenError):
        _validate(json.dumps(_claims(**{claim: now + sign * 60})))
    # within the 30 s tolerance
    assert _validate(json.dumps(_claims(**{claim: now + sign * 15})))["sub"] == "u1"
