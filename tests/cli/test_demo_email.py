"""The demo's "Sign in with email", through its real HTTP server: with no SMTP server the
mail lands on the dev mailbox page, with one (aiosmtpd on 127.0.0.1) it is sent; either way
the link signs in and the user is stored in SQLite."""

from __future__ import annotations

import re
import sqlite3
import subprocess
import sys
from html import unescape
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx

from authcore._demo import make_demo
from tests.support.smtp import smtp_server

SECRET = "demo-email-secret-0123456789abcdef-0123"
ADDRESS = "ada@example.com"


def _ask_for_link(c: httpx.Client, email: str = ADDRESS) -> None:
    token = c.get("/api/auth/csrf").json()["csrfToken"]
    form = {"csrfToken": token, "email": email, "callbackUrl": "/protected"}
    r = c.post("/api/auth/signin/email", data=form)
    assert r.status_code == 302
    assert r.headers["location"].endswith("/api/auth/verify-request?provider=email&type=email")


def _stored_users(db: Path) -> list[tuple[str, bool]]:
    with sqlite3.connect(db) as conn:
        rows = conn.execute('SELECT email, "emailVerified" IS NOT NULL FROM "user"').fetchall()
    return [(str(email), bool(verified)) for email, verified in rows]


def test_the_dev_mailbox_link_signs_in_and_stores_the_user(tmp_path: Path) -> None:
    db = tmp_path / "demo.db"
    lines: list[str] = []
    demo = make_demo(
        port=0, env={"AUTH_SECRET": SECRET}, database=f"sqlite:///{db}", log=lines.append
    )
    assert any("/dev/mailbox" in n for n in demo.notices), demo.notices
    demo.serve_in_thread()
    try:
        with httpx.Client(base_url=demo.origin) as c:
            signin = c.get("/api/auth/signin").text
            assert 'action="' in signin and 'name="email"' in signin  # the built-in email form
            assert 'id="mailbox"' in c.get("/").text  # the home page points at the mailbox
            assert 'id="empty"' in c.get("/dev/mailbox").text
            _ask_for_link(c)
            mailbox = c.get("/dev/mailbox")
            assert mailbox.status_code == 200
            assert mailbox.headers["cache-control"] == "no-store"
            [href] = re.findall(r'class="button primary signin-link" href="([^"]+)"', mailbox.text)
            link = unescape(href)
            assert ADDRESS in mailbox.text and "Sign in to 127.0.0.1:" in mailbox.text
            assert link.startswith(f"{demo.origin}/api/auth/callback/email?")
            assert parse_qs(urlsplit(link).query)["email"] == [ADDRESS]
            assert _stored_users(db) == []  # nothing before the link is used

            back = c.get(link)
            assert back.status_code == 302
            assert back.headers["location"] == f"{demo.origin}/protected"
            assert f'<strong id="user">{ADDRESS}</strong>' in c.get("/protected").text
            assert (
                c.get(link)
                .headers["location"]
                .startswith(  # a link works once
                    f"{demo.origin}/api/auth/error?error=Verification"
                )
            )
    finally:
        demo.close()
    assert _stored_users(db) == [(ADDRESS, True)]
    token = parse_qs(urlsplit(link).query)["token"][0]
    assert not any(token in line for line in lines)  # the request log has paths only


def test_with_an_smtp_server_the_mail_is_sent_and_there_is_no_mailbox(tmp_path: Path) -> None:
    db = tmp_path / "demo.db"
    with smtp_server() as box:
        env = {"AUTH_SECRET": SECRET, "AUTH_EMAIL_SERVER": "smtp://unused.invalid:25"}
        demo = make_demo(port=0, env=env, database=f"sqlite:///{db}", smtp=box.url)
        assert f"Email sign-in sends mail through 127.0.0.1:{box.port} from " in "".join(
            demo.notices
        )
        demo.serve_in_thread()
        try:
            with httpx.Client(base_url=demo.origin) as c:
                assert c.get("/dev/mailbox").status_code == 404
                assert 'id="mailbox"' not in c.get("/").text
                _ask_for_link(c)
                [mail] = box.received
                assert mail.rcpt_tos == [ADDRESS]
                back = c.get(mail.link())
                assert back.headers["location"] == f"{demo.origin}/protected"
                assert ADDRESS in c.get("/").text
        finally:
            demo.close()
    assert _stored_users(db) == [(ADDRESS, True)]


def test_the_mailbox_on_a_public_interface_comes_with_a_warning() -> None:
    env = {"AUTH_SECRET": SECRET}
    public = make_demo(host="0.0.0.0", port=0, env=env, database=None)
    public.close()
    local = make_demo(port=0, env=env, database=None)
    local.close()
    assert any(n.startswith("Warning: anyone who can reach") for n in public.notices)
    assert not any(n.startswith("Warning") for n in local.notices)


def test_auth_email_server_is_the_default_smtp_server(tmp_path: Path) -> None:
    with smtp_server() as box:
        env = {"AUTH_SECRET": SECRET, "AUTH_EMAIL_SERVER": box.url}
        demo = make_demo(port=0, env=env, database=f"sqlite:///{tmp_path / 'demo.db'}")
        demo.serve_in_thread()
        try:
            with httpx.Client(base_url=demo.origin) as c:
                _ask_for_link(c)
            assert [m.rcpt_tos for m in box.received] == [[ADDRESS]]
        finally:
            demo.close()


def test_a_bad_smtp_url_is_a_one_line_error(tmp_path: Path) -> None:
    bad = "http://user:hunter2@mail.example.com"
    done = subprocess.run(
        [sys.executable, "-m", "authcore.cli", "demo", "--port", "0", "--smtp", bad],
        check=False,
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=60,
    )
    assert done.returncode == 1
    assert done.stderr.startswith("authcore demo: server must look like smtp://"), done.stderr
    assert "Traceback" not in done.stderr and "hunter2" not in done.stderr + done.stdout
