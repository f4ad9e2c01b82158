"""Providers, one module each: `from authcore.providers.<name> import <Name>`.

The model a provider is written in lives in `authcore.providers.oauth`. Only the base class
and the registry are imported here, so an install pays only for the providers it uses.
"""

from ._base import Provider
from ._registry import provider_factory, register_provider, registered_providers

__all__ = ["Provider", "provider_factory", "register_provider", "registered_providers"]
