"""Deprecated alias of `authcore.providers.oauth` (the provider model's old, private home).

Kept for one release so providers written against it keep importing; new code imports
`authcore.providers.oauth` and `authcore.providers.register_provider`.
"""

from ._registry import find_provider, provider_factory, register_provider, registered_providers
from .oauth import (
    AccountFn,
    ClientAuthMethod,
    ConformFn,
    Endpoint,
    OAuthProvider,
    OIDCProvider,
    ProfileFn,
    build_provider,
)

__all__ = [
    "AccountFn",
    "ClientAuthMethod",
    "ConformFn",
    "Endpoint",
    "OAuthProvider",
    "OIDCProvider",
    "ProfileFn",
    "build_provider",
    "find_provider",
    "provider_factory",
    "register_provider",
    "registered_providers",
]
