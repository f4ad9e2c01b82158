"""Users in `django.contrib.auth`'s `User` and the bridge to `request.user`, in a Django
process of its own (the user model is fixed when Django starts)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _run(tmp_path: Path, mode: str) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-m", "tests.stores._django_bridge_app", str(tmp_path / "db"), mode],
        check=False,
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    seen: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return seen


@pytest.mark.parametrize("mode", ["request-user", "login"])
def test_auth_user_mapping_and_bridge(tmp_path: Path, mode: str) -> None:
    seen = _run(tmp_path, mode)
    created = seen["created"]
    assert created["id"].isdigit()  # auth.User's integer key, as a string
    assert created["email"] == "ada@example.com" and created["name"] == "Ada"
    assert created["image"] is None and created["email_verified"] is None
    assert seen["row"]["email"] == "ada@example.com" and seen["row"]["first_name"] == "Ada"
    assert len(seen["row"]["username"]) == 36  # the id the core made
    assert seen["by_email"]["id"] == created["id"]
    assert seen["by_account"]["id"] == created["id"]

    assert seen["anonymous"]["authenticated"] is False
    assert seen["private_anonymous"] == 302  # login_required sends to LOGIN_URL
    assert seen["signed_in"] == {
        "authenticated": True,
        "pk": int(created["id"]),
        "email": "ada@example.com",
    }
    assert seen["private_signed_in"] == 200
    # Django's own session only with AUTHCORE_DJANGO_LOGIN
    assert seen["django_session"] is (mode == "login")
    assert seen["after_sign_out"]["authenticated"] is False
    assert seen["expired"]["authenticated"] is False
