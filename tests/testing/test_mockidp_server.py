"""Lifecycle, recording, bounded and hostile input, the pytest plugin."""

from __future__ import annotations

import socket
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import httpx
import pytest

from authcore.testing import MockIdP
from tests.support.mockidp import HTTP, REDIRECT, authorize, get_code, ig_token


def test_context_manager_start_stop_restart() -> None:
    idp = MockIdP()
    with pytest.raises(RuntimeError):
        _ = idp.url
    with idp:
        assert idp.url.startswith("http://127.0.0.1:")
        assert HTTP.get(f"{idp.url}/").status_code == 200
        assert idp.start() is idp  # idempotent
    with pytest.raises(RuntimeError):
        _ = idp.url
    idp.stop()  # idempotent
    idp.start()
    try:
        assert HTTP.get(f"{idp.url}/oidc/jwks").status_code == 200
    finally:
        idp.stop()


def test_two_servers_get_two_ports() -> None:
    with MockIdP() as a, MockIdP() as b:
        assert a.url != b.url
        assert a.jwks() != b.jwks()  # keys are per server


def test_stop_cuts_a_slow_answer_short() -> None:
    idp = MockIdP().start()
    idp.faults.userinfo_delay = 60.0
    outcome: list[object] = []

    def call() -> None:
        try:
            outcome.append(HTTP.get(f"{idp.url}/oidc/userinfo", timeout=120).status_code)
        except httpx.HTTPError as exc:
            outcome.append(exc)

    thread = threading.Thread(target=call)
    thread.start()
    while not idp.requests_to("/oidc/userinfo"):
        threading.Event().wait(0.01)
    idp.stop()
    thread.join(timeout=30)
    assert not thread.is_alive()  # a 60 s delay did not hold stop() or the client
    assert outcome


def test_provider_options(mock_idp: MockIdP) -> None:
    url = mock_idp.url
    assert mock_idp.provider_options("instagram") == {
        "client_id": "mock-client-id",
        "client_secret": "mock-client-secret",
        "authorization": f"{url}/instagram/oauth/authorize",
        "token": f"{url}/instagram/oauth/access_token",
        "userinfo": f"{url}/instagram/graph/me",
        "graph_url": f"{url}/instagram/graph",
    }
    assert mock_idp.provider_options("oauth2") == {
        "client_id": "mock-client-id",
        "client_secret": "mock-client-secret",
        "authorization": f"{url}/oauth2/authorize",
        "token": f"{url}/oauth2/token",
        "userinfo": f"{url}/oauth2/userinfo",
        "emails": f"{url}/oauth2/user/emails",
    }
    assert mock_idp.provider_options("oidc") == {
        "client_id": "mock-client-id",
        "client_secret": "mock-client-secret",
        "issuer": f"{url}/oidc",
    }
    with pytest.raises(ValueError):
        mock_idp.provider_options("saml")  # type: ignore[arg-type]


def test_custom_default_client() -> None:
    with MockIdP(client_id="app", client_secret="shh", redirect_uris=(REDIRECT,)) as idp:
        assert idp.provider_options("oidc")["client_id"] == "app"
        assert authorize(idp, "oidc", client_id="app").status_code == 302
        assert authorize(idp, "oidc", client_id="mock-client-id").status_code == 400


def test_every_request_is_recorded(mock_idp: MockIdP) -> None:
    code = get_code(mock_idp, "instagram")
    ig_token(mock_idp, code)
    auth_req, token_req = mock_idp.requests
    assert auth_req.method == "GET" and auth_req.path == "/instagram/oauth/authorize"
    assert auth_req.query["redirect_uri"] == REDIRECT
    assert token_req.method == "POST"
    assert token_req.form["client_secret"] == "mock-client-secret"  # in the body ...
    assert token_req.basic_auth is None  # ... and not in Basic
    assert token_req.headers["content-type"] == "application/x-www-form-urlencoded"
    assert b"client_secret=mock-client-secret" in token_req.body
    mock_idp.reset()
    assert mock_idp.requests == []


def settings(idp: MockIdP) -> tuple[bool, str, str]:
    return idp.auto_approve, idp.oidc_alg, idp.instagram_token_shape


def test_reset_restores_users_and_settings(mock_idp: MockIdP) -> None:
    mock_idp.auto_approve = False
    mock_idp.oidc_alg = "ES256"
    mock_idp.instagram_token_shape = "data_wrapped"
    mock_idp.add_client("x", "y")
    code = get_code(mock_idp, "oauth2") if mock_idp.auto_approve else None
    assert code is None
    mock_idp.reset()
    assert settings(mock_idp) == (True, "RS256", "flat")
    assert mock_idp.client("x") is None and mock_idp.client("mock-client-id") is not None


def test_codes_do_not_survive_reset(mock_idp: MockIdP) -> None:
    code = get_code(mock_idp, "instagram")
    mock_idp.reset()
    assert ig_token(mock_idp, code).status_code == 400


def test_unknown_path_and_wrong_method(mock_idp: MockIdP) -> None:
    missing = HTTP.get(f"{mock_idp.url}/nope")
    assert missing.status_code == 404 and missing.json()["error"] == "not_found"
    wrong = HTTP.get(f"{mock_idp.url}/instagram/oauth/access_token")
    assert wrong.status_code == 405 and wrong.headers["allow"] == "POST"
    put = HTTP.put(f"{mock_idp.url}/oidc/token")
    assert put.status_code == 405


def test_oversized_body_is_refused_without_reading_it(mock_idp: MockIdP) -> None:
    resp = HTTP.post(f"{mock_idp.url}/oauth2/token", content=b"a" * (1024 * 1024 + 1))
    assert resp.status_code == 413
    assert resp.json()["error"] == "invalid_request"


@pytest.mark.parametrize(
    ("body", "ctype"),
    [
        (b"code=\xff\xfe", "application/x-www-form-urlencoded"),
        (b"&".join(b"a%d=1" % i for i in range(500)), "application/x-www-form-urlencoded"),
        (b"garbage", "multipart/form-data; boundary=xyz"),
    ],
)
def test_bad_form_bodies_get_400_json(mock_idp: MockIdP, body: bytes, ctype: str) -> None:
    resp = HTTP.post(
        f"{mock_idp.url}/instagram/oauth/access_token",
        content=body,
        headers={"content-type": ctype},
    )
    assert resp.status_code == 400
    assert "error" in resp.json() or "error_type" in resp.json()


def raw(idp: MockIdP, data: bytes) -> bytes:
    port = int(idp.url.rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(data)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


@pytest.mark.parametrize(
    "request_bytes",
    [
        b"NONSENSE\r\n\r\n",
        b"GET / HTTP/1.1\r\n" + b"X: " + b"a" * 70000 + b"\r\n\r\n",
        b"POST /oauth2/token HTTP/1.1\r\nContent-Length: nope\r\n\r\n",
        b"POST /oauth2/token HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
        b"POST /oauth2/token HTTP/1.1\r\nContent-Length: 10\r\n\r\nabc",
        b"GET /oauth2/authorize?client_id=%ZZ%ff HTTP/1.1\r\n\r\n",
    ],
)
def test_malformed_requests_get_a_json_4xx(mock_idp: MockIdP, request_bytes: bytes) -> None:
    if request_bytes.endswith(b"abc"):
        # a short body: close our side so the server sees EOF
        port = int(mock_idp.url.rsplit(":", 1)[1])
        with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
            sock.sendall(request_bytes)
            sock.shutdown(socket.SHUT_WR)
            answer = sock.recv(65536)
    else:
        answer = raw(mock_idp, request_bytes)
    status_line, _, rest = answer.partition(b"\r\n")
    status = int(status_line.split()[1])
    assert 400 <= status < 500
    assert b"application/json" in rest
    assert b"Traceback" not in answer
    assert HTTP.get(f"{mock_idp.url}/").status_code == 200  # still serving


def test_avatar_is_served(mock_idp: MockIdP) -> None:
    resp = HTTP.get(f"{mock_idp.url}/static/avatar.svg")
    assert resp.status_code == 200 and resp.headers["content-type"] == "image/svg+xml"


def test_log_lines_carry_no_query(mock_idp: MockIdP) -> None:
    lines: list[str] = []
    with MockIdP(log=lines.append) as idp:
        HTTP.get(f"{idp.url}/instagram/graph/me", params={"access_token": "secret-token"})
    assert lines == ["GET /instagram/graph/me 400"]


def test_import_does_not_pull_in_pytest() -> None:
    code = "import sys, authcore.testing; assert 'pytest' not in sys.modules, 'pytest imported'"
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)


def test_pytest_plugin_fixture_resets_between_tests(tmp_path: Path) -> None:
    (tmp_path / "test_app.py").write_text(
        textwrap.dedent(
            """
            import httpx

            def test_one(mock_idp):
                mock_idp.faults.token_status = 500
                mock_idp.auto_approve = False
                httpx.get(mock_idp.url + "/")
                assert len(mock_idp.requests) == 1

            def test_two(mock_idp, mock_idp_server):
                assert mock_idp is mock_idp_server
                assert mock_idp.faults.token_status is None
                assert mock_idp.auto_approve is True
                assert mock_idp.requests == []
            """
        )
    )
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(tmp_path)],
        capture_output=True,
        check=False,
        text=True,
        timeout=120,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 passed" in result.stdout
