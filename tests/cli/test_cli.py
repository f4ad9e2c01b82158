"""`authcore secret`, `authcore dev-cert`, `authcore demo` (as the user runs them)."""

from __future__ import annotations

import base64
import os
import re
import signal
import socket
import ssl
import stat
import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import httpx
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization

from authcore._demo import make_demo
from authcore._devcert import ensure_dev_cert
from authcore.cli import main

NOW = datetime(2026, 11, 29, 12, 0, tzinfo=timezone.utc)


def test_secret_prints_32_random_bytes(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["secret"]) == 0
    first = capsys.readouterr().out.strip()
    assert len(base64.b64decode(first, validate=True)) == 32
    main(["secret"])
    assert capsys.readouterr().out.strip() != first


def test_dev_cert_writes_a_localhost_certificate(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "certs"
    assert main(["dev-cert", "--out", str(out)]) == 0
    assert str(out / "cert.pem") in capsys.readouterr().out
    key_path, cert_path = out / "key.pem", out / "cert.pem"
    assert stat.S_IMODE(key_path.stat().st_mode) == 0o600
    cert = x509.load_pem_x509_certificate(cert_path.read_bytes())
    san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert "localhost" in san.get_values_for_type(x509.DNSName)
    assert {str(ip) for ip in san.get_values_for_type(x509.IPAddress)} == {"127.0.0.1", "::1"}
    key = serialization.load_pem_private_key(key_path.read_bytes(), password=None)
    assert key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    ) == cert.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    assert cert.issuer == cert.subject  # self-signed


def test_dev_cert_is_reused_while_valid_and_renewed_before_expiry(tmp_path: Path) -> None:
    cert_path, _ = ensure_dev_cert(tmp_path, NOW)
    first = cert_path.read_bytes()
    ensure_dev_cert(tmp_path, NOW + timedelta(days=30))
    assert cert_path.read_bytes() == first
    ensure_dev_cert(tmp_path, NOW + timedelta(days=395))
    assert cert_path.read_bytes() != first


def test_demo_with_real_credentials_prints_the_callback_to_register(tmp_path: Path) -> None:
    env = {"AUTH_INSTAGRAM_ID": "1234567890", "AUTH_INSTAGRAM_SECRET": "not-printed"}
    demo = make_demo(port=0, https=True, env=env, cert_dir=tmp_path, now=lambda: NOW)
    try:
        assert demo.idp is None
        port = demo.httpd.server_address[1]
        expected = f"https://localhost:{port}/api/auth/callback/instagram"
        assert any(n.endswith(expected) for n in demo.notices), demo.notices
        assert not any("not-printed" in n for n in demo.notices)
    finally:
        demo.close()


def test_demo_pages_and_logs_never_show_secrets() -> None:
    lines: list[str] = []
    secret = "demo-secret-that-must-not-leak-0123456789"
    demo = make_demo(port=0, env={"AUTH_SECRET": secret}, log=lines.append)
    assert demo.idp is not None
    demo.idp.auto_approve = True  # the browser tests click "Allow"; here we go straight through
    demo.serve_in_thread()
    try:
        with httpx.Client(base_url=demo.origin) as c:
            assert "not signed in" in c.get("/").text
            r = c.get("/protected")
            assert (r.status_code, r.headers["location"]) == (
                303,
                "/api/auth/signin?callbackUrl=%2Fprotected",
            )
            token = c.get("/api/auth/csrf").json()["csrfToken"]
            r = c.post("/api/auth/signin/instagram", data={"csrfToken": token})
            r = httpx.get(r.headers["location"])  # the mock IdP
            r = c.get(r.headers["location"].split("#")[0])  # the callback
            assert r.status_code == 302
            pages = [c.get("/").text, c.get("/protected").text]
        assert 'Signed in as <strong id="user">Mock Business</strong>' in pages[1]
        cookie_values = [v for v in c.cookies.values()]
        for page in pages:
            assert secret not in page
            assert not any(v and v in page for v in cookie_values)
        assert not any("code=" in line or "state=" in line for line in lines), lines
        assert "GET /api/auth/callback/instagram" in lines
    finally:
        demo.close()


def test_demo_command_serves_on_the_given_port(tmp_path: Path) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if not k.startswith("AUTH_")}
    proc = subprocess.Popen(
        [sys.executable, "-m", "authcore.cli", "demo", "--port", str(port), "--https"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        cert = tmp_path / ".authcore-dev" / "cert.pem"
        deadline = time.monotonic() + 30
        while True:
            assert proc.poll() is None, proc.stdout.read() if proc.stdout else ""
            try:
                tls = ssl.create_default_context(cafile=str(cert))  # trusts the demo's cert
                r = httpx.get(f"https://localhost:{port}/", verify=tls)
                break
            except (httpx.HTTPError, OSError, ssl.SSLError):
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        assert r.status_code == 200
        assert "not signed in" in r.text
        proc.send_signal(signal.SIGINT)
        out, _ = proc.communicate(timeout=15)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0
    assert f"authcore demo on https://localhost:{port}/" in out
    assert "Mock Instagram running at http://127.0.0.1:" in out
    assert "AUTH_SECRET is not set" in out
    assert not re.search(r"[A-Za-z0-9_-]{40,}", out)  # no secret or token printed
