"""A Django project whose users live in `django.contrib.auth`'s `User`
(`AUTHCORE_USER_MODEL = "auth.User"`), with the bridge middleware. Run in a process of its
own by test_django_bridge.py (a swapped user model is fixed when Django starts); prints what
it saw as JSON."""

from __future__ import annotations

import json
import sys
import uuid
from datetime import datetime, timedelta, timezone
from typing import Any

import django
from django.conf import settings

settings.configure(
    SECRET_KEY="authcore-bridge-tests",
    USE_TZ=True,
    ALLOWED_HOSTS=["testserver"],
    INSTALLED_APPS=[
        "django.contrib.contenttypes",
        "django.contrib.auth",
        "django.contrib.sessions",
        "authcore.stores.django",
    ],
    AUTHCORE_USER_MODEL="auth.User",
    DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": sys.argv[1]}},
    MIDDLEWARE=[
        "django.contrib.sessions.middleware.SessionMiddleware",
        "django.contrib.auth.middleware.AuthenticationMiddleware",
        "authcore.stores.django.UserBridgeMiddleware",
    ],
    ROOT_URLCONF=__name__,
    AUTHCORE_DJANGO_LOGIN=sys.argv[2] == "login",
    LOGIN_URL="/signin",
)
django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.decorators import login_required  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.http import HttpRequest, HttpResponse, JsonResponse  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import path  # noqa: E402

from authcore.stores.django import DjangoStore, UserMapping  # noqa: E402

STORE = DjangoStore(users=UserMapping.django_auth_user())
settings.AUTHCORE = {"adapter": STORE}


def whoami(request: HttpRequest) -> JsonResponse:
    user: Any = request.user
    return JsonResponse(
        {
            "authenticated": user.is_authenticated,
            "pk": user.pk,
            "email": getattr(user, "email", None) or None,
        }
    )


@login_required
def private(request: HttpRequest) -> HttpResponse:
    return HttpResponse("private")


urlpatterns = [path("whoami", whoami), path("private", private)]


def main() -> None:
    call_command("migrate", verbosity=0, interactive=False)
    seen: dict[str, Any] = {}
    created = STORE.create_user(
        {"id": str(uuid.uuid4()), "email": "ada@example.com", "email_verified": None, "name": "Ada"}
    )
    row: Any = get_user_model().objects.get(pk=int(created["id"]))
    seen["created"] = created
    seen["row"] = {"username": row.username, "email": row.email, "first_name": row.first_name}
    seen["by_email"] = STORE.get_user_by_email("ada@example.com")
    STORE.link_account(
        {
            "user_id": created["id"],
            "type": "oauth",
            "provider": "github",
            "provider_account_id": "42",
        }
    )
    seen["by_account"] = STORE.get_user_by_account(
        {"provider": "github", "provider_account_id": "42"}
    )
    token = str(uuid.uuid4())
    expires = datetime.now(timezone.utc) + timedelta(days=1)
    STORE.create_session({"session_token": token, "user_id": created["id"], "expires": expires})

    client = Client()
    seen["anonymous"] = client.get("/whoami").json()
    seen["private_anonymous"] = client.get("/private").status_code
    client.cookies["authjs.session-token"] = token
    seen["signed_in"] = client.get("/whoami").json()
    seen["private_signed_in"] = client.get("/private").status_code
    seen["django_session"] = "sessionid" in client.cookies
    STORE.delete_session(token)
    seen["after_sign_out"] = client.get("/whoami").json()

    stale = str(uuid.uuid4())
    past = datetime.now(timezone.utc) - timedelta(minutes=1)
    STORE.create_session({"session_token": stale, "user_id": created["id"], "expires": past})
    other = Client()
    other.cookies["authjs.session-token"] = stale
    seen["expired"] = other.get("/whoami").json()
    print(json.dumps(seen, default=str))


if __name__ == "__main__":
    main()
