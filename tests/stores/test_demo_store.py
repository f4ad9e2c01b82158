"""The demo keeps its users in SQLite (or the `--database` given) and lists them."""

from __future__ import annotations

import io
from pathlib import Path

import httpx

from authcore._demo import default_database, make_demo


def _sign_in(origin: str) -> str:
    with httpx.Client(base_url=origin) as c:
        token = c.get("/api/auth/csrf").json()["csrfToken"]
        r = c.post("/api/auth/signin/instagram", data={"csrfToken": token})
        r = httpx.get(r.headers["location"])  # the mock IdP
        assert c.get(r.headers["location"].split("#")[0]).status_code == 302
        return c.get("/").text


def test_demo_lists_stored_users_and_keeps_them_across_runs(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    env = {"AUTH_SECRET": "demo-store-secret-0123456789abcdef"}
    demo = make_demo(port=0, env=env, database=url)
    assert demo.idp is not None
    demo.idp.auto_approve = True
    demo.serve_in_thread()
    try:
        assert "No user stored yet." in httpx.get(demo.origin + "/").text
        page = _sign_in(demo.origin)
    finally:
        demo.close()
    assert "Stored users (1)" in page
    assert "<td>Mock Business</td><td>—</td><td>instagram</td>" in page
    assert f"Users are kept in {url}." in demo.notices

    again = make_demo(port=0, env=env, database=url)
    again.serve_in_thread()
    try:
        assert "Stored users (1)" in httpx.get(again.origin + "/").text
    finally:
        again.close()


def test_demo_defaults_to_sqlite_next_to_where_it_runs() -> None:
    out = io.StringIO()
    assert default_database(out) == "sqlite:///authcore-demo.db"
    assert out.getvalue() == ""
