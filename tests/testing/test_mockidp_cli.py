"""`authcore mock-idp` as users run it."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import threading

import pytest

from authcore.cli import build_parser, main
from tests.support.mockidp import HTTP


def test_mock_idp_subcommand_serves_until_stopped() -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "authcore.cli", "mock-idp", "--client-id", "cli-app"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    watchdog = threading.Timer(60, proc.kill)  # never hang the suite
    watchdog.start()
    try:
        assert proc.stdout is not None
        first = proc.stdout.readline()
        match = re.fullmatch(r"authcore mock IdP listening on (http://127\.0\.0\.1:\d+)\n", first)
        assert match, first
        url = match.group(1)
        options = {}
        for _ in range(3):
            name, _, payload = proc.stdout.readline().partition(": ")
            options[name] = json.loads(payload)
        assert options["instagram"]["authorization"] == f"{url}/instagram/oauth/authorize"
        assert options["instagram"]["client_id"] == "cli-app"
        assert options["oidc"] == {
            "client_id": "cli-app",
            "client_secret": "mock-client-secret",
            "issuer": f"{url}/oidc",
        }
        assert HTTP.get(f"{url}/oidc/.well-known/openid-configuration").json()["issuer"] == (
            f"{url}/oidc"
        )
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        watchdog.cancel()
    assert proc.stderr is not None
    log = proc.stderr.read()
    assert "GET /oidc/.well-known/openid-configuration 200" in log


def test_no_subcommand_prints_help(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 2
    assert "mock-idp" in capsys.readouterr().out


def test_parser_defaults() -> None:
    args = build_parser().parse_args(["mock-idp"])
    assert args.host == "127.0.0.1" and args.port == 0 and args.consent is False


def test_port_in_use_is_a_clean_error(capsys: pytest.CaptureFixture[str]) -> None:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        port = sock.getsockname()[1]
        assert main(["mock-idp", "--port", str(port), "--quiet"]) == 1
    assert "cannot listen" in capsys.readouterr().err
