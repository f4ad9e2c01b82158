"""WeChat (微信) web login, for an Official Account (in-app browser) or a Website App (QR code).

Nothing here is RFC 6749's: the client id is `appid`, the token call is a GET with
`appid`/`secret` in the query, answers carry no `token_type`, errors come as HTTP 200 with
`errcode`/`errmsg`, and the profile is `sns/userinfo?access_token&openid`. Auth.js's
provider sets `appid`/`secret` as token params that `@auth/core@0.41.3` never sends, and keys
users on `unionid`, which WeChat sends only to apps bound to an Open Platform account; here
the token call is the `token_request` hook and the id falls back to `openid`
(docs/differences.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from ..errors import ConfigError, OAuthProviderError
from .oauth import Endpoint, OAuthProvider, build_provider

if TYPE_CHECKING:
    import httpx

    from .._flow import Flow
    from ..oauth._context import CallbackContext

__all__ = ["WeChat", "WeChatProvider"]

REGISTER_URL = "https://open.weixin.qq.com/"
OFFICIAL_ACCOUNT_URL = "https://open.weixin.qq.com/connect/oauth2/authorize"
WEBSITE_APP_URL = "https://open.weixin.qq.com/connect/qrconnect"
PlatformType = Literal["OfficialAccount", "WebsiteApp"]


def _refuse_errcode(provider_id: str, body: dict[str, Any], endpoint: str) -> None:
    code = body.get("errcode")
    if code not in (None, 0):
        raise OAuthProviderError(
            f"{provider_id} {endpoint}: errcode {str(code)[:20]}",
            provider=provider_id,
            endpoint=endpoint,
            reason="provider_error",
        )


def conform_token(body: dict[str, Any]) -> dict[str, Any]:
    _refuse_errcode("wechat", body, "token")
    return {**body, "token_type": "bearer"}


@dataclass(frozen=True, kw_only=True)
class WeChatProvider(OAuthProvider):
    lang: str = "zh_CN"

    def authorization_params(self) -> dict[str, str]:
        return {"appid": self.client_id or ""}

    def token_request(
        self, ctx: CallbackContext, url: str, form: dict[str, str], headers: dict[str, str]
    ) -> httpx.Request:
        import httpx

        params = {
            "appid": self.client_id or "",
            "secret": self.client_secret or "",
            "code": form["code"],
            "grant_type": "authorization_code",
        }
        return httpx.Request("GET", url, params=params, headers={"accept": "application/json"})

    def fetch_profile(self, ctx: CallbackContext, tokens: dict[str, Any]) -> Flow[dict[str, Any]]:
        import httpx

        openid = tokens.get("openid")
        if not isinstance(openid, str) or not openid:
            raise OAuthProviderError(
                f"{self.id} token endpoint: no openid in the answer",
                provider=self.id,
                endpoint="token",
                reason="bad_token_response",
            )
        params = {"access_token": tokens["access_token"], "openid": openid, "lang": self.lang}
        request = httpx.Request("GET", ctx.userinfo_url(), params=params)
        body = yield from ctx.fetch_json(request, endpoint="userinfo")
        _refuse_errcode(self.id, body, "userinfo")
        return body

    def default_profile(self, profile: dict[str, Any], tokens: dict[str, Any]) -> dict[str, Any]:
        return {
            "id": profile.get("unionid") or profile.get("openid"),
            "name": profile.get("nickname"),
            "email": None,
            "image": profile.get("headimgurl") or None,
        }


def WeChat(*, platform_type: PlatformType = "OfficialAccount", **options: Any) -> WeChatProvider:
    """`WeChat(client_id=<AppID>, client_secret=<AppSecret>, platform_type="WebsiteApp")`;
    `OfficialAccount` (the default) signs in inside WeChat, `WebsiteApp` shows a QR code."""
    if platform_type not in ("OfficialAccount", "WebsiteApp"):
        raise ConfigError(
            "provider 'wechat': platform_type must be OfficialAccount or WebsiteApp",
            option="platform_type",
        )
    official = platform_type == "OfficialAccount"
    defaults = WeChatProvider(
        id="wechat",
        name="WeChat",
        authorization=Endpoint(
            OFFICIAL_ACCOUNT_URL if official else WEBSITE_APP_URL,
            (("scope", "snsapi_userinfo" if official else "snsapi_login"),),
        ),
        token=Endpoint("https://api.weixin.qq.com/sns/oauth2/access_token"),
        userinfo=Endpoint("https://api.weixin.qq.com/sns/userinfo"),
        checks=("state",),  # WeChat has no PKCE
        conform=conform_token,
        style={"bg": "#fff", "text": "#000"},
    )
    return build_provider(defaults, options)
