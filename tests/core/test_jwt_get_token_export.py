"""`authcore.jwt` offers `get_token` beside `encode`/`decode`, as `@auth/core/jwt` does."""

from __future__ import annotations

from authcore import Request, jwt


def test_get_token_from_the_jwt_module_reads_the_session_cookie() -> None:
    token = jwt.encode(
        token={"name": "Ada", "sub": "1"}, secret="s3cret", salt="authjs.session-token"
    )
    request = Request(
        "GET", "http://localhost/api/me", headers={"cookie": f"authjs.session-token={token}"}
    )
    payload = jwt.get_token(request, secret="s3cret")
    assert payload is not None
    assert payload["name"] == "Ada"
    assert jwt.get_token(request, secret="another-secret") is None
