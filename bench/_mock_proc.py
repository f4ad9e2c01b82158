"""Runs authcore's MockIdP in its own process for the bench (a real IdP is another process:
in-process, its request handling would share the GIL with the code being measured).

Prints the Instagram provider options as one JSON line, then serves until stdin closes.
`--replayable-codes`: a code may be redeemed again (bench/server.py replays one callback).
"""

from __future__ import annotations

import json
import sys

from authcore.testing import MockIdP


def main() -> int:
    # The mock listens with a backlog of 1024 (docs/performance.md#where-the-time-goes), so 100
    # concurrent sign-ins are not throttled by the accept queue.
    replayable = "--replayable-codes" in sys.argv[1:]
    with MockIdP(
        auto_approve=True, instagram_token_shape="with_token_type", replayable_codes=replayable
    ) as idp:
        print(json.dumps(idp.provider_options("instagram")), flush=True)
        sys.stdin.read()
    return 0


if __name__ == "__main__":
    sys.exit(main())
