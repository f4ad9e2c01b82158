"""Runs authcore's MockIdP in its own process for the bench (a real IdP is another process:
in-process, its request handling would share the GIL with the code being measured).

Prints the Instagram provider options as one JSON line, then serves until stdin closes.
"""

from __future__ import annotations

import json
import sys

from authcore.testing import MockIdP

BACKLOG = 1024


def main() -> int:
    with MockIdP(auto_approve=True, instagram_token_shape="with_token_type") as idp:
        # http.server listens with a backlog of 5: with 10+ concurrent sign-ins the kernel drops
        # SYNs and clients stall for the 1 s retransmit (see bench/FINDINGS.md). Re-listening
        # on the bound socket only raises the accept-queue length.
        server = getattr(idp, "_server", None)
        if server is not None:
            server.socket.listen(BACKLOG)
        print(json.dumps(idp.provider_options("instagram")), flush=True)
        sys.stdin.read()
    return 0


if __name__ == "__main__":
    sys.exit(main())
