"""Framework adapters: thin translators between a web framework and `authcore.Auth`.

Import the one you need (`authcore.adapters.starlette`, `.flask`, `.django`); this package
imports no framework itself.
"""

from ._common import Session, SessionUser

__all__ = ["Session", "SessionUser"]
