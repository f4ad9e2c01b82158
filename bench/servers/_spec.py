"""The config every bench server app builds from `AUTHCORE_BENCH_SPEC` (set by bench/server.py):
the same secret, base path and mock-IdP Instagram provider as the Node side."""

from __future__ import annotations

import json
import os
from typing import Any

__all__ = ["BARE_JSON", "config"]

_SPEC: dict[str, Any] = json.loads(os.environ.get("AUTHCORE_BENCH_SPEC", "{}"))
BARE_JSON: bytes = str(_SPEC.get("bare_json", "{}")).encode()


def config() -> dict[str, Any]:
    providers: list[Any] = []
    if _SPEC.get("instagram_options"):
        from authcore.providers.instagram import Instagram

        providers.append(Instagram(**_SPEC["instagram_options"]))
    config: dict[str, Any] = {
        "providers": providers,
        "secret": _SPEC["secret"],
        "trust_host": True,
        "base_path": _SPEC["base_path"],
    }
    reissue = os.environ.get("AUTHCORE_BENCH_JWT_REISSUE")
    if reissue:  # the opt-in of docs/differences.md, measured beside the default
        config["session"] = {"jwt_reissue": reissue}
    return config
