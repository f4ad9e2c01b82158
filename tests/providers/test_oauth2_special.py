"""The OAuth 2 providers with calls of their own, signed in through `Auth()` against their
token and profile endpoints served on 127.0.0.1 with the answers their documentation shows:
what authcore sends (client authentication, non-standard token calls, headers, query
parameters) and what the user ends up as, then their error shapes."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import httpx
import pytest

from authcore import Response, jwt
from authcore.oauth import clear_caches
from authcore.providers.atlassian import Atlassian
from authcore.providers.azure_devops import AzureDevOps
from authcore.providers.facebook import Facebook
from authcore.providers.mastodon import Mastodon
from authcore.providers.notion import Notion
from authcore.providers.reddit import Reddit
from authcore.providers.threads import Threads
from authcore.providers.tiktok import TikTok
from authcore.providers.twitter import Twitter
from authcore.providers.wechat import WeChat
from authcore.providers.workos import WorkOS
from tests.support.core import BASE, SECRET, Browser, make_config
from tests.support.provider_server import Answer, ProviderServer, Seen, provider_server

CLIENT = {"client_id": "the-client-id", "client_secret": "the-client-secret"}
CODE = "the-code"


@dataclass
class Case:
    factory: Callable[..., Any]
    token: dict[str, Any]
    profile: dict[str, Any]
    user: dict[str, Any]  # id (the session's sub), name, email, image
    profile_path: str = "/me"
    # options pointing the provider at the server (its URL is the argument)
    options: Callable[[str], dict[str, Any]] = field(
        default=lambda url: {"token": f"{url}/token", "userinfo": f"{url}/me"}
    )
    token_path: str = "/token"


CASES = {
    "twitter": Case(
        Twitter,
        token={
            "token_type": "bearer",
            "expires_in": 7200,
            "access_token": "VGNibzFWSWREZm01bjN1N3dicWlNUG1oa2xRRVNNdmVHelJGY2hQN",
            "scope": "users.read tweet.read offline.access",
            "refresh_token": "bWRWa3gzdnk3WHRGU1o0bmRRcTJ5VUxWX1lZTDdJSUtmaWcxbTVxdEFX",
        },
        profile={
            "data": {
                "id": "2244994945",
                "name": "Developers",
                "username": "XDevelopers",
                "profile_image_url": "https://pbs.twimg.com/profile_images/1/dev_normal.jpg",
            }
        },
        user={
            "id": "2244994945",
            "name": "Developers",
            "email": None,
            "image": "https://pbs.twimg.com/profile_images/1/dev_normal.jpg",
        },
    ),
    "reddit": Case(
        Reddit,
        token={
            "access_token": "eyJhbGciOiJSUzI1NiIsImtpZCI6IlNIQTI1NjpzS3dsMnlsV0VtMjVmcXhwTU40",
            "token_type": "bearer",
            "expires_in": 86400,
            "scope": "identity",
        },
        profile={"id": "1w72", "name": "spez", "icon_img": "https://styles.redditmedia.com/x.png"},
        user={"id": "1w72", "name": "spez", "email": None, "image": None},
    ),
    "notion": Case(
        Notion,
        token={
            "access_token": "secret_xTnf9ps5Txjs6lWKeD0nDe8xyFm2b6yXNP0CGxmyVOf",
            "token_type": "bearer",
            "bot_id": "b3414d659-1224-5ty7-6ffr-cc9d8773hf10",
            "workspace_name": "Avocado Lovelace's Notion",
            "workspace_id": "j565j4d7x3-2882-61bs-564a-jj9d9ui-c36hxfr7x",
        },
        profile_path="/v1/users/me",
        options=lambda url: {"token": f"{url}/token", "userinfo": f"{url}/v1/users/me"},
        profile={
            "object": "user",
            "id": "b3414d659-1224-5ty7-6ffr-cc9d8773hf10",
            "type": "bot",
            "bot": {
                "owner": {
                    "type": "user",
                    "user": {
                        "object": "user",
                        "id": "e79a0b74-3aba-4149-9f74-0bb5791a6ee6",
                        "name": "Avocado Lovelace",
                        "avatar_url": "https://secure.notion-static.com/e6a352a8.jpg",
                        "type": "person",
                        "person": {"email": "avo@example.org"},
                    },
                }
            },
        },
        user={
            "id": "e79a0b74-3aba-4149-9f74-0bb5791a6ee6",
            "name": "Avocado Lovelace",
            "email": "avo@example.org",
            "image": "https://secure.notion-static.com/e6a352a8.jpg",
        },
    ),
    "tiktok": Case(
        TikTok,
        token={
            "access_token": "act.example12345Example12345Example",
            "expires_in": 86400,
            "open_id": "afd97af1-b87b-48b9-ac98-410aghda5344",
            "refresh_expires_in": 31536000,
            "refresh_token": "rft.example12345Example12345Example",
            "scope": "user.info.basic",
            "token_type": "Bearer",
        },
        profile={
            "data": {
                "user": {
                    "open_id": "afd97af1-b87b-48b9-ac98-410aghda5344",
                    "avatar_url": "https://p19-sign.tiktokcdn-us.com/a.jpeg",
                    "display_name": "Tik Toker",
                }
            },
            "error": {"code": "ok", "message": "", "log_id": "20220829194722CBE87ED59D524E727021"},
        },
        user={
            "id": "afd97af1-b87b-48b9-ac98-410aghda5344",
            "name": "Tik Toker",
            "email": None,
            "image": "https://p19-sign.tiktokcdn-us.com/a.jpeg",
        },
    ),
    "wechat": Case(
        WeChat,
        token={
            "access_token": "ACCESS_TOKEN",
            "expires_in": 7200,
            "refresh_token": "REFRESH_TOKEN",
            "openid": "OPENID",
            "scope": "snsapi_userinfo",
            "unionid": "o6_bmasdasdsad6_2sgVt7hMZOPfL",
        },
        profile={
            "openid": "OPENID",
            "nickname": "NICKNAME",
            "sex": 1,
            "province": "PROVINCE",
            "city": "CITY",
            "country": "COUNTRY",
            "headimgurl": "https://thirdwx.qlogo.cn/mmopen/g3MonUZtNHkdmzicIlibx6iaFqAc56vxLSUfpb6n5WKSYVY0ChQKkiaJSgQ1dZuTOgvLLrhJbERQQ4eMsv84eavHiaiceqxibJxCfHe/46",
            "privilege": ["PRIVILEGE1", "PRIVILEGE2"],
            "unionid": "o6_bmasdasdsad6_2sgVt7hMZOPfL",
        },
        user={
            "id": "o6_bmasdasdsad6_2sgVt7hMZOPfL",
            "name": "NICKNAME",
            "email": None,
            "image": "https://thirdwx.qlogo.cn/mmopen/g3MonUZtNHkdmzicIlibx6iaFqAc56vxLSUfpb6n5WKSYVY0ChQKkiaJSgQ1dZuTOgvLLrhJbERQQ4eMsv84eavHiaiceqxibJxCfHe/46",
        },
    ),
    "mastodon": Case(
        Mastodon,
        options=lambda url: {"issuer": url},
        token_path="/oauth/token",
        profile_path="/api/v1/accounts/verify_credentials",
        token={
            "access_token": "ZA-Yj3aBD8U8Cm7lKUp-lm9O9BmDgdhHzDeqsY8tlL0",
            "token_type": "Bearer",
            "scope": "read",
            "created_at": 1573979017,
        },
        profile={
            "id": "14715",
            "username": "trwnh",
            "acct": "trwnh",
            "display_name": "infinite love ⴳ",
            "avatar_static": "https://files.mastodon.social/accounts/avatars/000/014/715/a.png",
        },
        user={
            "id": "14715",
            "name": "trwnh",
            "email": None,
            "image": "https://files.mastodon.social/accounts/avatars/000/014/715/a.png",
        },
    ),
    "workos": Case(
        WorkOS,
        options=lambda url: {"issuer": f"{url}/", "connection": "conn_01E4ZCR3C56J083X43JQXF3JK5"},
        token_path="/sso/token",
        profile_path="/sso/profile",
        token={"access_token": "01DMEK0J53CVMC32CK5SE0KZ8Q", "profile": {"id": "prof_01"}},
        profile={
            "id": "prof_01DMC79VCBZ0NY2099737PSVF1",
            "connection_id": "conn_01E4ZCR3C56J083X43JQXF3JK5",
            "connection_type": "OktaSAML",
            "email": "todd@foo-corp.com",
            "first_name": "Todd",
            "last_name": "Rundgren",
            "idp_id": "00u1a0ufowBJlzPlk357",
            "object": "profile",
            "raw_attributes": {},
        },
        user={
            "id": "prof_01DMC79VCBZ0NY2099737PSVF1",
            "name": "Todd Rundgren",
            "email": "todd@foo-corp.com",
            "image": None,
        },
    ),
    "facebook": Case(
        Facebook,
        token={"access_token": "EAAGm0PX4ZCpsBA", "token_type": "bearer", "expires_in": 5183944},
        profile={
            "id": "10158617379185307",
            "name": "Jane Doe",
            "email": "jane@example.com",
            "picture": {
                "data": {
                    "height": 50,
                    "is_silhouette": False,
                    "url": "https://platform-lookaside.fbsbx.com/platform/profilepic/?asid=1",
                    "width": 50,
                }
            },
        },
        user={
            "id": "10158617379185307",
            "name": "Jane Doe",
            "email": "jane@example.com",
            "image": "https://platform-lookaside.fbsbx.com/platform/profilepic/?asid=1",
        },
    ),
    "threads": Case(
        Threads,
        token={"access_token": "THQVJUZAEFJX0FXNGxx", "user_id": 17841405793187219},
        profile={
            "id": "17841405793187219",
            "username": "threadsapitestuser",
            "threads_profile_picture_url": "https://scontent-sjc3-1.cdninstagram.com/t.jpg",
        },
        user={
            "id": "17841405793187219",
            "name": "threadsapitestuser",
            "email": None,
            "image": "https://scontent-sjc3-1.cdninstagram.com/t.jpg",
        },
    ),
    "atlassian": Case(
        Atlassian,
        token={
            "access_token": "eyJraWQiOiJhdXRoLmF0bGFzc2lhbi5jb20t",
            "expires_in": 3600,
            "scope": "read:me",
            "token_type": "Bearer",
        },
        profile={
            "account_type": "atlassian",
            "account_id": "112233aa-bb11-cc22-33dd-445566abcabc",
            "email": "mia@example.com",
            "name": "Mia Krystof",
            "picture": "https://avatar-management--avatars.us-west-2.prod.public.atl-paas.net/a.png",
            "account_status": "active",
            "nickname": "mkrystof",
        },
        user={
            "id": "112233aa-bb11-cc22-33dd-445566abcabc",
            "name": "Mia Krystof",
            "email": "mia@example.com",
            "image": "https://avatar-management--avatars.us-west-2.prod.public.atl-paas.net/a.png",
        },
    ),
    "azure-devops": Case(
        AzureDevOps,
        token={
            "access_token": "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiIsIng1dCI6Im9PdmN6NU1",
            "token_type": "jwt-bearer",
            "expires_in": "3599",
            "refresh_token": "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiIsIng1dCI6Im9PdmN6NU1",
            "scope": "vso.profile",
        },
        profile={
            "displayName": "Jamal Hartnett",
            "publicAlias": "3b5f0c34-4aec-4bf4-8708-1d36f0dbc468",
            "emailAddress": "fabrikamfiber4@hotmail.com",
            "id": "3b5f0c34-4aec-4bf4-8708-1d36f0dbc468",
            "coreAttributes": {
                "Avatar": {"value": {"value": "iVBORw0KGgo=", "isAutoGenerated": False}}
            },
        },
        user={
            "id": "3b5f0c34-4aec-4bf4-8708-1d36f0dbc468",
            "name": "Jamal Hartnett",
            "email": "fabrikamfiber4@hotmail.com",
            "image": "data:image/jpeg;base64,iVBORw0KGgo=",
        },
    ),
}


@pytest.fixture
def server() -> Iterator[ProviderServer]:
    clear_caches()
    with provider_server() as s:
        yield s


@dataclass
class Run:
    browser: Browser
    authorize: dict[str, str]  # the authorization URL's query
    done: Response
    token: Seen | None
    profile: Seen | None


def sign_in(
    server: ProviderServer,
    http: httpx.Client,
    case: Case,
    override: dict[str, Answer] | None = None,
) -> Run:
    """Sign in as a browser would; `override` answers some paths instead of the documented
    success."""
    server.answers[case.token_path] = Answer(case.token)
    server.answers[case.profile_path] = Answer(case.profile)
    server.answers.update(override or {})
    provider = case.factory(**CLIENT, **case.options(server.url))
    b = Browser(make_config(providers=[provider], http_client=http))
    start = b.call("POST", f"/signin/{provider.id}", form={"csrfToken": b.csrf()})
    assert start.status == 302 and start.location is not None
    query = dict(parse_qsl(urlsplit(start.location).query))
    # the provider redirects the browser back with a code and the state (RFC 6749 §4.1.2)
    done = b.call("GET", f"/callback/{provider.id}?code={CODE}&state={query['state']}")
    token = server.to(case.token_path)
    profile = server.to(case.profile_path)
    return Run(b, query, done, token[-1] if token else None, profile[-1] if profile else None)


@pytest.mark.parametrize("provider_id", list(CASES))
def test_sign_in(server: ProviderServer, http: httpx.Client, provider_id: str) -> None:
    case = CASES[provider_id]
    run = sign_in(server, http, case)
    assert run.done.status == 302 and "error" not in (run.done.location or ""), run.done.location
    payload = jwt.decode(
        token=run.browser.jar["authjs.session-token"], secret=SECRET, salt="authjs.session-token"
    )
    assert payload["sub"] == case.user["id"]
    user = run.browser.call("GET", "/session").json()["user"]
    assert {k: user.get(k) for k in ("name", "email", "image")} == {
        k: case.user[k] for k in ("name", "email", "image")
    }
    assert run.token is not None and run.profile is not None
    assert run.authorize["redirect_uri"] == f"{BASE}/callback/{provider_id}"
    assert "the-client-secret" not in str(run.profile.query)
    EXPECT[provider_id](run)


def _basic(run: Run) -> None:
    assert run.token is not None
    assert run.token.method == "POST"
    assert run.token.headers["authorization"].startswith("Basic ")
    assert "client_secret" not in run.token.form
    assert run.token.form["code"] == CODE


def _post(run: Run) -> None:
    assert run.token is not None
    assert run.token.method == "POST" and "authorization" not in run.token.headers
    assert run.token.form["client_secret"] == "the-client-secret"


def _bearer(run: Run) -> None:
    assert run.profile is not None
    assert run.profile.headers["authorization"].startswith("Bearer ")


def _twitter(run: Run) -> None:
    _basic(run)
    _bearer(run)
    assert run.authorize["code_challenge_method"] == "S256" and run.token is not None
    assert run.token.form["code_verifier"]
    assert run.authorize["scope"] == "users.read tweet.read offline.access"
    assert run.profile is not None and run.profile.query == {"user.fields": "profile_image_url"}


def _reddit(run: Run) -> None:
    _basic(run)
    _bearer(run)
    assert "code_challenge" not in run.authorize and run.token is not None
    assert "code_verifier" not in run.token.form
    assert run.profile is not None and run.profile.headers["user-agent"]


def _notion(run: Run) -> None:
    _basic(run)
    _bearer(run)
    assert run.authorize["owner"] == "user"
    assert run.profile is not None and run.profile.headers["notion-version"] == "2022-06-28"


def _tiktok(run: Run) -> None:
    _post(run)
    _bearer(run)
    assert run.authorize["client_key"] == "the-client-id"
    assert run.token is not None and run.token.form["client_key"] == "the-client-id"
    assert run.profile is not None
    assert run.profile.query == {"fields": "open_id,avatar_url,display_name"}


def _wechat(run: Run) -> None:
    assert run.authorize["appid"] == "the-client-id"
    assert run.authorize["scope"] == "snsapi_userinfo"
    assert run.token is not None and run.token.method == "GET"
    assert "authorization" not in run.token.headers
    assert run.token.query == {
        "appid": "the-client-id",
        "secret": "the-client-secret",
        "code": CODE,
        "grant_type": "authorization_code",
    }
    assert run.profile is not None and run.profile.query == {
        "access_token": "ACCESS_TOKEN",
        "openid": "OPENID",
        "lang": "zh_CN",
    }


def _mastodon(run: Run) -> None:
    _basic(run)
    _bearer(run)
    assert run.authorize["scope"] == "read"


def _workos(run: Run) -> None:
    _post(run)
    _bearer(run)
    assert run.authorize["connection"] == "conn_01E4ZCR3C56J083X43JQXF3JK5"


def _facebook(run: Run) -> None:
    _basic(run)
    _bearer(run)
    assert run.profile is not None and run.profile.query == {"fields": "id,name,email,picture"}


def _threads(run: Run) -> None:
    _post(run)
    assert run.profile is not None
    assert run.profile.query["access_token"] == "THQVJUZAEFJX0FXNGxx"
    assert run.profile.query["fields"] == "id,username,threads_profile_picture_url"


def _atlassian(run: Run) -> None:
    _basic(run)
    _bearer(run)
    assert run.authorize["audience"] == "api.atlassian.com"


def _azure_devops(run: Run) -> None:
    assert run.authorize["response_type"] == "Assertion"
    assert run.token is not None and "authorization" not in run.token.headers
    assert run.token.form == {
        "client_assertion_type": "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
        "client_assertion": "the-client-secret",
        "grant_type": "urn:ietf:params:oauth:grant-type:jwt-bearer",
        "assertion": CODE,
        "redirect_uri": f"{BASE}/callback/azure-devops",
    }
    _bearer(run)


EXPECT: dict[str, Callable[[Run], None]] = {
    "twitter": _twitter,
    "reddit": _reddit,
    "notion": _notion,
    "tiktok": _tiktok,
    "wechat": _wechat,
    "mastodon": _mastodon,
    "workos": _workos,
    "facebook": _facebook,
    "threads": _threads,
    "atlassian": _atlassian,
    "azure-devops": _azure_devops,
}

# ---- error shapes -------------------------------------------------------------------------------

ERRORS: list[tuple[str, str, Answer]] = [
    ("wechat", "/token", Answer({"errcode": 40029, "errmsg": "invalid code"})),
    ("wechat", "/me", Answer({"errcode": 40003, "errmsg": "invalid openid"})),
    (
        "tiktok",
        "/me",
        Answer(
            {"data": {}, "error": {"code": "scope_not_authorized", "message": "", "log_id": "1"}}
        ),
    ),
    (
        "tiktok",
        "/token",
        Answer(
            {
                "error": "invalid_request",
                "error_description": "Code verifier or code challenge is invalid.",
            },
            400,
        ),
    ),
    (
        "notion",
        "/v1/users/me",
        Answer(
            {
                "object": "user",
                "id": "bot",
                "type": "bot",
                "bot": {"owner": {"type": "workspace", "workspace": True}},
            }
        ),
    ),
    (
        "twitter",
        "/me",
        Answer(
            {
                "title": "Unauthorized",
                "type": "about:blank",
                "status": 401,
                "detail": "Unauthorized",
            },
            401,
        ),
    ),
    ("reddit", "/token", Answer({"error": "invalid_grant"}, 400)),
    (
        "facebook",
        "/me",
        Answer(
            {
                "error": {
                    "message": "Invalid OAuth access token.",
                    "type": "OAuthException",
                    "code": 190,
                    "fbtrace_id": "A1",
                }
            },
            400,
        ),
    ),
    (
        "threads",
        "/token",
        Answer(
            {
                "error": {
                    "message": "Invalid verification code format.",
                    "type": "OAuthException",
                    "code": 100,
                }
            },
            400,
        ),
    ),
]


@pytest.mark.parametrize(
    ("provider_id", "path", "answer"), ERRORS, ids=[f"{p}{path}" for p, path, _ in ERRORS]
)
def test_documented_errors_are_clean_provider_errors(
    server: ProviderServer, http: httpx.Client, provider_id: str, path: str, answer: Answer
) -> None:
    run = sign_in(server, http, CASES[provider_id], {path: answer})
    assert run.done.location == f"{BASE}/error?error=OAuthProviderError", run.done.location
    assert "authjs.session-token" not in run.browser.jar


def test_wechat_without_unionid_keys_on_openid(server: ProviderServer, http: httpx.Client) -> None:
    case = CASES["wechat"]
    profile = {k: v for k, v in case.profile.items() if k != "unionid"}
    run = sign_in(server, http, case, {"/me": Answer(profile)})
    payload = jwt.decode(
        token=run.browser.jar["authjs.session-token"], secret=SECRET, salt="authjs.session-token"
    )
    assert payload["sub"] == "OPENID"


@pytest.mark.parametrize("provider_id", ["twitter", "facebook", "tiktok", "atlassian", "workos"])
def test_missing_optional_fields_still_sign_in(
    server: ProviderServer, http: httpx.Client, provider_id: str
) -> None:
    case = CASES[provider_id]

    def strip(obj: Any) -> Any:
        optional = {"email", "picture", "profile_image_url", "avatar_url", "name", "display_name"}
        optional |= {"first_name", "last_name", "raw_attributes"}
        if isinstance(obj, dict):
            return {k: strip(v) for k, v in obj.items() if k not in optional}
        return obj

    run = sign_in(server, http, case, {case.profile_path: Answer(strip(case.profile))})
    assert run.done.status == 302 and "error" not in (run.done.location or ""), run.done.location
    user = run.browser.call("GET", "/session").json()["user"]
    assert user.get("email") is None and user.get("image") is None
