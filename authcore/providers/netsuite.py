"""NetSuite: OAuth 2 per NetSuite account; `account_id` (Auth.js `accountID`) names the
account's hosts, and `userinfo` is a RESTlet or Suitelet of your own that answers the
current user (`N/runtime`'s `getCurrentUser()`: `id`, `name`, `email`, `role`, ...).

NetSuite has no userinfo endpoint of its own: the provider refuses to start without the
`userinfo` URL of your script (Auth.js fails only at the first sign-in). Sandbox accounts are
spelled with `-` (`1234567-SB1`); an account id that is not letters, digits and `-` is refused,
since it becomes part of a host name. No picture.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from typing import Any

from ..errors import ConfigError
from .oauth import Endpoint, OAuthProvider, build_provider

__all__ = ["NetSuite", "NetSuiteProvider"]

REGISTER_URL = (
    "https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_157771733782.html"
)
_ACCOUNT_ID = re.compile(r"^[A-Za-z0-9-]{1,64}$")
AUTHORIZATION_URL = "https://{account}.app.netsuite.com/app/login/oauth2/authorize.nl"
TOKEN_URL = "https://{account}.suitetalk.api.netsuite.com/services/rest/auth/oauth2/v1/token"
# what the generated docs show while no account_id is given
AUTHORIZATION_URL_TEMPLATE = AUTHORIZATION_URL.format(account="<account_id>")


@dataclass(frozen=True, kw_only=True)
class NetSuiteProvider(OAuthProvider):
    """`account_id`: the NetSuite account (`TSTDRV1234567`, `81555`, `1234567-SB1`)."""

    account_id: str | None = None

    def resolved(self) -> NetSuiteProvider:
        """The account's authorization and token URLs, unless given explicitly."""
        account = self.account_id
        if not isinstance(account, str) or not _ACCOUNT_ID.match(account):
            return self
        account = account.lower()  # a host name, as a URL parser writes it
        changes: dict[str, Any] = {}
        if self.authorization.url is None:
            url = AUTHORIZATION_URL.format(account=account)
            changes["authorization"] = Endpoint(url, self.authorization.params)
        if self.token.url is None:
            changes["token"] = Endpoint(TOKEN_URL.format(account=account), self.token.params)
        return dataclasses.replace(self, **changes) if changes else self

    def validate(self) -> None:
        account = self.account_id
        if account is not None and (not isinstance(account, str) or not _ACCOUNT_ID.match(account)):
            raise ConfigError(
                f"provider {self.id!r}: account_id must be letters, digits and '-' "
                "(sandbox accounts: 1234567-SB1)",
                option="account_id",
            )
        if account is None and (self.authorization.url is None or self.token.url is None):
            raise ConfigError(
                f"provider {self.id!r}: NetSuite needs account_id (the NetSuite account)",
                option="account_id",
            )
        super().validate()


def profile(profile: dict[str, Any], tokens: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": profile.get("id"),
        "name": profile.get("name"),
        "email": profile.get("email"),
        "image": None,
    }


def NetSuite(**options: Any) -> NetSuiteProvider:
    """`NetSuite(client_id=..., client_secret=..., account_id="TSTDRV1234567",
    userinfo="https://<account>.restlets.api.netsuite.com/app/site/hosting/restlet.nl?script=..&deploy=..")`.
    Scope `restlets rest_webservices`."""
    defaults = NetSuiteProvider(
        id="netsuite",
        name="NetSuite",
        checks=("state",),
        authorization=Endpoint(None, (("scope", "restlets rest_webservices"),)),
        profile=profile,
        style={"logo": "/netsuite.svg", "bg": "#181a1b", "text": "#fbfbfb"},
    )
    return build_provider(defaults, options).resolved()
