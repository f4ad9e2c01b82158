"""Providers, one module each: `from authcore.providers.<name> import <Name>`.

Nothing is imported here, so an install pays only for the providers it uses.
"""

from ._base import Provider

__all__ = ["Provider"]
