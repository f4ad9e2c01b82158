"""Re-use the interop harness's session fixture (`authjs`: a Node worker running the real
@auth/core 0.41.3 and next-auth 4) for the Next.js interop tests in this folder."""

from tests.interop.conftest import authjs

__all__ = ["authjs"]
