"""A real mock identity provider for testing authcore apps (HTTP on 127.0.0.1).

    from authcore.testing import MockIdP

    with MockIdP() as idp:
        Instagram(**idp.provider_options("instagram"))

`StoreConformance` checks a store (yours too) against what the core relies on.

With pytest, the `mock_idp` fixture (installed with authcore) gives a running one per test.
`sign_in(client, "instagram")` signs an app's test client in through it.
See docs/testing.md.
"""

from ._conformance import PurgeConformance, StoreConformance, WebAuthnConformance
from ._email_api import MockEmailAPI, SentMail
from ._faults import MAX_DELAY, BodyFault, Faults, IdTokenFault
from ._models import (
    ClientAuth,
    Flavour,
    IdTokenAlg,
    InstagramTokenShape,
    InstagramUser,
    MockClient,
    OAuth2Email,
    OAuth2User,
    OIDCUser,
    RecordedRequest,
)
from ._scripted import Scripted, TokenCall
from ._server import MockIdP
from ._sign_in import SignInFailed, SignInResult, async_sign_in, sign_in

__all__ = [
    "MAX_DELAY",
    "BodyFault",
    "ClientAuth",
    "Faults",
    "Flavour",
    "IdTokenAlg",
    "IdTokenFault",
    "InstagramTokenShape",
    "InstagramUser",
    "MockClient",
    "MockEmailAPI",
    "MockIdP",
    "OAuth2Email",
    "OAuth2User",
    "OIDCUser",
    "PurgeConformance",
    "RecordedRequest",
    "Scripted",
    "SentMail",
    "SignInFailed",
    "SignInResult",
    "StoreConformance",
    "TokenCall",
    "WebAuthnConformance",
    "async_sign_in",
    "sign_in",
]
