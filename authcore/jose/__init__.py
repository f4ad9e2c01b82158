"""JOSE primitives on ``cryptography``, one module per RFC.

- ``base64url``: RFC 7515 §2, strict decoding.
- ``jwa``: RFC 7518 §5 content encryption (A256CBC-HS512, A256GCM).
- ``jwe``: RFC 7516 compact serialisation, ``alg: dir`` only.
- ``jwk``: RFC 7517 keys, RFC 7638 thumbprints, JWK Sets.
- ``jws``: RFC 7515 compact serialisation, asymmetric algorithms only.

Every rejected token raises ``InvalidToken`` with one public message.
"""

from .errors import InvalidToken, InvalidTokenCode

__all__ = ["InvalidToken", "InvalidTokenCode"]
