"""The `authcore` command line.

A subcommand is one `_cmd_<name>(args) -> int` function plus one `_add_<name>(subparsers)`
registration appended to `COMMANDS`."""

from __future__ import annotations

import argparse
import json
import sys
import threading
from collections.abc import Callable

from .errors import ConfigError

__all__ = ["COMMANDS", "build_parser", "main"]


def _cmd_mock_idp(args: argparse.Namespace) -> int:
    from authcore.testing import MockIdP

    idp = MockIdP(
        host=args.host,
        port=args.port,
        client_id=args.client_id,
        client_secret=args.client_secret,
        auto_approve=not args.consent,
        log=None if args.quiet else lambda line: print(line, file=sys.stderr, flush=True),
    )
    try:
        idp.start()
    except OSError as exc:
        print(
            f"authcore mock-idp: cannot listen on {args.host}:{args.port}: {exc}", file=sys.stderr
        )
        return 1
    print(f"authcore mock IdP listening on {idp.url}", flush=True)
    for flavour in ("instagram", "oauth2", "oidc"):
        print(f"{flavour}: {json.dumps(idp.provider_options(flavour))}", flush=True)
    print("Press Ctrl-C to stop.", flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        idp.stop()
    return 0


def _add_mock_idp(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "mock-idp",
        help="run the mock identity provider (Instagram, OAuth 2.0, OIDC) until Ctrl-C",
        description="Serve authcore.testing.MockIdP and print the provider options to use.",
    )
    p.add_argument("--host", default="127.0.0.1", help="interface to bind (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=0, help="port (default: a free random port)")
    p.add_argument("--client-id", default="mock-client-id")
    p.add_argument("--client-secret", default="mock-client-secret")
    p.add_argument(
        "--consent", action="store_true", help="show a consent page instead of auto-approving"
    )
    p.add_argument("--quiet", action="store_true", help="do not log requests to stderr")
    p.set_defaults(func=_cmd_mock_idp)


def _cmd_demo(args: argparse.Namespace) -> int:
    import os

    from authcore._demo import run

    try:
        return run(
            args.host,
            args.port,
            args.https,
            os.environ,
            database=args.database,
            smtp=args.smtp,
        )
    except OSError as exc:
        print(f"authcore demo: cannot listen on {args.host}:{args.port}: {exc}", file=sys.stderr)
        return 1
    except ConfigError as exc:  # e.g. an --smtp URL that is no SMTP server URL
        print(f"authcore demo: {exc}", file=sys.stderr)
        return 1


def _add_demo(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "demo",
        help="run the demo app (sign in with the mock Instagram, or the real one)",
        description="A small app on http://127.0.0.1:8000: home, sign-in with Instagram or "
        "email, a protected page, sign-out. Uses the built-in mock Instagram unless "
        "AUTH_INSTAGRAM_ID and AUTH_INSTAGRAM_SECRET are set, and a dev mailbox page "
        "(/dev/mailbox) for the sign-in mail unless an SMTP server is given.",
    )
    p.add_argument("--host", default="127.0.0.1", help="interface to bind (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    p.add_argument(
        "--https",
        action="store_true",
        help="serve https://localhost with a self-signed certificate (Instagram needs https)",
    )
    p.add_argument(
        "--database",
        metavar="URL",
        help="where users are stored, a SQLAlchemy URL such as postgresql://user@host/db "
        "(default sqlite:///authcore-demo.db in the current directory)",
    )
    p.add_argument(
        "--smtp",
        metavar="URL",
        help="send the sign-in mail through this SMTP server, e.g. "
        "smtp://user:pass@smtp.example.com:587 (default: AUTH_EMAIL_SERVER, else the dev "
        "mailbox page /dev/mailbox)",
    )
    p.set_defaults(func=_cmd_demo)


def _cmd_dev_cert(args: argparse.Namespace) -> int:
    from datetime import datetime, timezone
    from pathlib import Path

    from authcore._devcert import write_dev_cert

    cert, key = write_dev_cert(Path(args.out), datetime.now(timezone.utc))
    print(f"certificate: {cert}\nprivate key: {key} (mode 0600)")
    print(
        "valid for localhost, 127.0.0.1 and ::1; e.g. uvicorn app:app "
        f"--ssl-certfile {cert} --ssl-keyfile {key}"
    )
    return 0


def _add_dev_cert(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "dev-cert",
        help="write a self-signed certificate for https://localhost (cert.pem, key.pem)",
        description="Write cert.pem and key.pem (mode 0600) for localhost, for your own "
        "development server: Instagram accepts only https redirect URIs.",
    )
    p.add_argument("--out", default=".authcore-dev", help="directory (default .authcore-dev)")
    p.set_defaults(func=_cmd_dev_cert)


def _cmd_secret(args: argparse.Namespace) -> int:
    import base64
    import secrets

    print(base64.b64encode(secrets.token_bytes(32)).decode())
    return 0


def _add_secret(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "secret",
        help="print a fresh random AUTH_SECRET (32 bytes, base64)",
        description="Print 32 random bytes, base64-encoded, for AUTH_SECRET "
        "(like `npx auth secret`).",
    )
    p.set_defaults(func=_cmd_secret)


def _cmd_providers(args: argparse.Namespace) -> int:
    from authcore.providers import catalog

    if args.id is not None:
        try:
            entry = catalog.entry(args.id)
        except KeyError:
            print(f"authcore providers: no built-in provider {args.id!r}", file=sys.stderr)
            return 1
        for label, value in (
            ("id", entry.id),
            ("name", entry.name),
            ("type", entry.type),
            ("import", f"from {entry.module} import {entry.export}"),
            ("issuer", entry.issuer),
            ("scope", entry.scope),
            ("env", f"{entry.env_prefix}_ID, {entry.env_prefix}_SECRET"),
            ("register", entry.register_url),
            ("docs", entry.docs_path),
        ):
            if value:
                print(f"{label:<9}{value}")
        return 0
    entries = catalog.entries()
    if args.json:
        rows = [{"id": e.id, "name": e.name, "type": e.type, "docs": e.docs_path} for e in entries]
        print(json.dumps(rows, indent=2))
        return 0
    width = max(len(e.id) for e in entries)
    name_width = max(len(e.name) for e in entries)
    for e in entries:
        print(f"{e.id:<{width}}  {e.name:<{name_width}}  {e.type:<5}  {e.docs_path}")
    return 0


def _add_providers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "providers",
        help="list the built-in providers (id, name, type, docs page)",
        description="List the providers shipped with authcore, or show one in detail.",
    )
    p.add_argument("id", nargs="?", help="show this provider: import line, scope, env, docs")
    p.add_argument("--json", action="store_true", help="the list as JSON")
    p.set_defaults(func=_cmd_providers)


COMMANDS: list[Callable[[argparse._SubParsersAction[argparse.ArgumentParser]], None]] = [
    _add_mock_idp,
    _add_demo,
    _add_dev_cert,
    _add_secret,
    _add_providers,
]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="authcore", description="authcore command line tools")
    sub = parser.add_subparsers(dest="command", metavar="<command>")
    for register in COMMANDS:
        register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    func: Callable[[argparse.Namespace], int] | None = getattr(args, "func", None)
    if func is None:
        parser.print_help()
        return 2
    return func(args)


if __name__ == "__main__":
    raise SystemExit(main())
