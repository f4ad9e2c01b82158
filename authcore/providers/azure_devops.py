"""Azure DevOps Services OAuth 2 (deprecated by Microsoft for new apps since 2025: prefer
Microsoft Entra ID with the Azure DevOps scope).

Its token call is not RFC 6749's: the code travels as a JWT-bearer `assertion` and the client
secret as `client_assertion`. Auth.js writes that in a `token.request` that
`@auth/core@0.41.3` never calls, and points it at the authorize URL, so its sign-in cannot
work; here the `token_request` hook sends it to `/oauth2/token` (docs/differences.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from .oauth import Endpoint, OAuthProvider, build_provider

if TYPE_CHECKING:
    import httpx

    from ..oauth._context import CallbackContext

__all__ = ["AzureDevOps", "AzureDevOpsProvider"]

HOST = "https://app.vssps.visualstudio.com"
REGISTER_URL = "https://app.vsaex.visualstudio.com/app/register"
JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer"
ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"


def _conform(body: dict[str, Any]) -> dict[str, Any]:
    """`token_type` is "jwt-bearer" and `expires_in` a string: standard shapes for the
    checks (the token is used as a Bearer token)."""
    tokens = dict(body)
    if "access_token" in tokens:
        tokens["token_type"] = "bearer"
    expires = tokens.get("expires_in")
    if isinstance(expires, str) and expires.isdigit():
        tokens["expires_in"] = int(expires)
    return tokens


@dataclass(frozen=True, kw_only=True)
class AzureDevOpsProvider(OAuthProvider):
    response_type: ClassVar[str] = "Assertion"

    def token_request(
        self, ctx: CallbackContext, url: str, form: dict[str, str], headers: dict[str, str]
    ) -> httpx.Request:
        import httpx

        body = {
            "client_assertion_type": ASSERTION_TYPE,
            "client_assertion": self.client_secret or "",
            "grant_type": JWT_BEARER,
            "assertion": form["code"],
            "redirect_uri": form["redirect_uri"],
        }
        headers = {k: v for k, v in headers.items() if k != "authorization"}
        return httpx.Request("POST", url, headers=headers, data=body)

    def default_profile(self, profile: dict[str, Any], tokens: dict[str, Any]) -> dict[str, Any]:
        avatar = (((profile.get("coreAttributes") or {}).get("Avatar") or {}).get("value")) or {}
        data = avatar.get("value") if isinstance(avatar, dict) else None
        return {
            "id": profile.get("id"),
            "name": profile.get("displayName"),
            "email": profile.get("emailAddress"),
            "image": f"data:image/jpeg;base64,{data}" if isinstance(data, str) and data else None,
        }


def AzureDevOps(**options: Any) -> AzureDevOpsProvider:
    """`AzureDevOps(client_id=<App ID>, client_secret=<Client Secret>)`; scope `vso.profile`."""
    defaults = AzureDevOpsProvider(
        id="azure-devops",
        name="Azure DevOps",
        authorization=Endpoint(f"{HOST}/oauth2/authorize", (("scope", "vso.profile"),)),
        token=Endpoint(f"{HOST}/oauth2/token"),
        userinfo=Endpoint(
            f"{HOST}/_apis/profile/profiles/me",
            (("details", "true"), ("coreAttributes", "Avatar"), ("api-version", "6.0")),
        ),
        token_endpoint_auth_method="client_secret_post",
        checks=("state",),  # no PKCE at Azure DevOps
        conform=_conform,
    )
    return build_provider(defaults, options)
