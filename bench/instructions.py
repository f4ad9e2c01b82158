"""Instructions per request, counted by valgrind's callgrind: a load-independent measure of the
session-read path, for a machine too busy for wall-clock figures.

    .venv/bin/python bench/instructions.py            # every case, table on stdout
    .venv/bin/python bench/instructions.py --json     # the same as JSON

Each case runs in a fresh interpreter under `valgrind --tool=callgrind` twice, with a small and
a large number of requests after the same warm-up; the difference of the two totals divided by
the difference of the request counts is the cost of one request, start-up and imports cancelled
out. Every request is checked (status, a session in the body) before anything is counted.

Cases (GET /api/auth/session with a signed-in session cookie and nothing else, as
`bench/run --server` sends it):

- `Auth()`: `await authcore.Auth(Request(...), config)` in process;
- `auth_sync()`: `authcore.auth_sync(Request(...), config)` in process (what the WSGI
  adapters call);
- `starlette ASGI`: the Starlette app of `bench/servers/starlette_app.py` (the adapter's routes
  plus `/bare`) called directly with a uvicorn-like scope, `receive` and `send`;
- `bare starlette route`: `/bare` of that same app, returning the same JSON (the floor the
  server bench compares against);
- `bare ASGI`: a raw ASGI callable sending the same JSON (the absolute floor);
- `flask WSGI` / `django WSGI`: the WSGI app of `bench/servers/flask_app.py` /
  `bench/servers/django_app.py` (what gunicorn serves) called directly with a gunicorn-like
  environ and `start_response`, the body iterated and closed;
- `bare flask route` / `bare django route`: `/bare` of those same apps, returning the same JSON.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SECRET = "bench-secret-9c0f3e6a1b7d4c2e8f5a0b3d6e9c1f4a"
SALT = "authjs.session-token"
BASE_PATH = "/api/auth"
CLAIMS: dict[str, Any] = {
    "name": "Bob Example",
    "email": "bob@example.com",
    "picture": "https://example.com/avatars/bob.png",
    "sub": "4f6c5a2e-9b1d-4e8a-a3c7-2d5b8e1f0a96",
}
CASES = (
    "auth",
    "auth_sync",
    "starlette",
    "bare_starlette",
    "bare_asgi",
    "flask",
    "bare_flask",
    "django",
    "bare_django",
)
WSGI_CASES = ("flask", "bare_flask", "django", "bare_django")
# The framework's bare route each case is compared with (the floor of its server target).
FLOORS = {
    "auth": "bare_starlette",
    "auth_sync": "bare_starlette",
    "starlette": "bare_starlette",
    "bare_starlette": "bare_starlette",
    "flask": "bare_flask",
    "bare_flask": "bare_flask",
    "django": "bare_django",
    "bare_django": "bare_django",
}
LABELS = {
    "auth": "Auth() GET /session (in process)",
    "auth_sync": "auth_sync() GET /session (in process)",
    "starlette": "starlette ASGI app, GET /session",
    "bare_starlette": "bare starlette route, same JSON",
    "bare_asgi": "bare ASGI app, same JSON",
    "flask": "flask WSGI app, GET /session",
    "bare_flask": "bare flask route, same JSON",
    "django": "django WSGI app, GET /session",
    "bare_django": "bare django route, same JSON",
}
WARMUP = 50


def _config(update_age_rolling: bool) -> dict[str, Any]:
    config: dict[str, Any] = {
        "providers": [],
        "secret": SECRET,
        "trust_host": True,
        "base_path": BASE_PATH,
    }
    if update_age_rolling:
        config["session"] = {"jwt_reissue": "update_age"}
    return config


def _cookie() -> str:
    from authcore import jwt

    return f"{SALT}={jwt.encode(token=CLAIMS, secret=SECRET, salt=SALT)}"


def _bare_json() -> bytes:
    user = {"name": CLAIMS["name"], "email": CLAIMS["email"], "image": CLAIMS["picture"]}
    return json.dumps({"user": user, "expires": "2030-01-01T00:00:00.000Z"}).encode()


def _scope(path: str, cookie: str) -> dict[str, Any]:
    """What uvicorn (httptools) hands the app for one wrk request."""
    return {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.4"},
        "http_version": "1.1",
        "server": ("127.0.0.1", 8000),
        "client": ("127.0.0.1", 50000),
        "scheme": "http",
        "method": "GET",
        "root_path": "",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "headers": [
            (b"host", b"127.0.0.1:8000"),
            (b"cookie", cookie.encode()),
        ],
        "state": {},
    }


def _environ(path: str, cookie: str) -> dict[str, Any]:
    """What gunicorn (gthread) hands the WSGI app for one wrk request."""
    import io

    return {
        "REQUEST_METHOD": "GET",
        "SCRIPT_NAME": "",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "RAW_URI": path,
        "SERVER_PROTOCOL": "HTTP/1.1",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "SERVER_SOFTWARE": "gunicorn/23.0.0",
        "REMOTE_ADDR": "127.0.0.1",
        "REMOTE_PORT": "50000",
        "HTTP_HOST": "127.0.0.1:8000",
        "HTTP_COOKIE": cookie,
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": True,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
        "wsgi.input_terminated": True,
    }


def _wsgi_app(case: str, rolling: bool) -> Any:
    """The bench server's own WSGI app, with this script's secret and base path."""
    spec = {"secret": SECRET, "base_path": BASE_PATH, "bare_json": _bare_json().decode()}
    os.environ["AUTHCORE_BENCH_SPEC"] = json.dumps(spec)
    if rolling:
        os.environ["AUTHCORE_BENCH_JWT_REISSUE"] = "update_age"
    sys.path.insert(0, str(HERE / "servers"))
    if case.endswith("flask"):
        import flask_app

        return flask_app.app
    import django_app

    return django_app.application


def _run_wsgi_case(case: str, n: int, rolling: bool) -> None:
    app = _wsgi_app(case, rolling)
    path = "/bare" if case.startswith("bare") else f"{BASE_PATH}/session"
    environ = _environ(path, _cookie())
    from _adapters import wsgi_call

    for _ in range(WARMUP + n):
        status, body = wsgi_call(app, dict(environ))
        if not status.startswith("200") or b'"user"' not in body:
            raise SystemExit(f"bad answer {status!r} {body[:80]!r}")


def _run_auth_sync(cookie: str, n: int, config: dict[str, Any]) -> None:
    import authcore

    url = f"http://127.0.0.1:8000{BASE_PATH}/session"
    headers = [("host", "127.0.0.1:8000"), ("cookie", cookie)]
    for _ in range(WARMUP + n):
        response = authcore.auth_sync(authcore.Request("GET", url, headers), config)
        if response.status != 200 or b'"user"' not in response.body:
            raise SystemExit(f"bad answer {response.status} {response.body[:80]!r}")


def _run_case(case: str, n: int, rolling: bool) -> None:
    """The child process: warm up, then `n` requests; exits non-zero if one is wrong."""
    sys.path.insert(0, str(ROOT))
    if case in WSGI_CASES:
        _run_wsgi_case(case, n, rolling)
        return
    cookie = _cookie()
    if case == "auth_sync":
        _run_auth_sync(cookie, n, _config(rolling))
        return
    body = _bare_json()
    config = _config(rolling)

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    sent: list[dict[str, Any]] = []

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    if case == "auth":
        import authcore

        url = f"http://127.0.0.1:8000{BASE_PATH}/session"
        headers = [("host", "127.0.0.1:8000"), ("cookie", cookie)]

        async def one() -> None:
            response = await authcore.Auth(authcore.Request("GET", url, headers), config)
            if response.status != 200 or b'"user"' not in response.body:
                raise SystemExit(f"bad answer {response.status} {response.body[:80]!r}")

    else:
        if case == "bare_asgi":

            async def app(scope: Any, receive: Any, send: Any) -> None:
                await send(
                    {
                        "type": "http.response.start",
                        "status": 200,
                        "headers": [
                            (b"content-type", b"application/json"),
                            (b"content-length", str(len(body)).encode()),
                        ],
                    }
                )
                await send({"type": "http.response.body", "body": body})

        else:
            from starlette.applications import Starlette
            from starlette.requests import Request
            from starlette.responses import Response
            from starlette.routing import Route

            from authcore.adapters.starlette import StarletteAuth

            async def bare(request: Request) -> Response:
                return Response(body, media_type="application/json")

            auth = StarletteAuth(config)
            app = Starlette(routes=[*auth.routes, Route("/bare", bare)])
        path = "/bare" if case.startswith("bare") else f"{BASE_PATH}/session"
        scope = _scope(path, cookie)

        async def one() -> None:
            sent.clear()
            await app(dict(scope), receive, send)
            if sent[0]["status"] != 200 or (
                case == "starlette" and b'"user"' not in sent[1]["body"]
            ):
                raise SystemExit(f"bad answer {sent[:1]!r}")

    async def main() -> None:
        for _ in range(WARMUP + n):
            await one()

    asyncio.run(main())


_COLLECTED = re.compile(r"Collected : (\d+)")


def _count(case: str, n: int, rolling: bool) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        argv = [
            "valgrind",
            "--tool=callgrind",
            f"--callgrind-out-file={tmp}/out",
            sys.executable,
            str(Path(__file__)),
            "--child",
            case,
            "--n",
            str(n),
        ]
        if rolling:
            argv.append("--jwt-reissue-update-age")
        env = {**os.environ, "PYTHONHASHSEED": "0"}
        done = subprocess.run(argv, capture_output=True, text=True, env=env, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{case}: exit {done.returncode}\n{done.stderr[-2000:]}")
    match = _COLLECTED.search(done.stderr)
    if match is None:
        raise SystemExit(f"{case}: no callgrind total in\n{done.stderr[-2000:]}")
    return int(match.group(1))


def per_request(case: str, small: int, large: int, rolling: bool) -> float:
    return (_count(case, large, rolling) - _count(case, small, rolling)) / (large - small)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--child", choices=CASES, help=argparse.SUPPRESS)
    parser.add_argument("--n", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--cases", nargs="*", choices=CASES, default=list(CASES))
    parser.add_argument("--small", type=int, default=100, help="requests of the short run")
    parser.add_argument("--large", type=int, default=600, help="requests of the long run")
    parser.add_argument(
        "--jwt-reissue-update-age",
        action="store_true",
        help="config session.jwt_reissue='update_age' (the session cookie re-issued only after "
        "update_age, docs/differences.md)",
    )
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if args.child:
        _run_case(args.child, args.n, args.jwt_reissue_update_age)
        return
    figures = {
        c: per_request(c, args.small, args.large, args.jwt_reissue_update_age) for c in args.cases
    }
    if args.json:
        print(json.dumps(figures, indent=2))
        return
    print(f"{'case':<40} {'instructions/request':>22} {'÷ its bare route':>18}")
    for case, value in figures.items():
        floor = figures.get(FLOORS.get(case, ""))
        ratio = f"{value / floor:.2f}x" if floor else "-"
        print(f"{LABELS[case]:<40} {value:>22,.0f} {ratio:>18}")
    for case in ("starlette", "flask", "django"):
        floor = figures.get(FLOORS[case])
        if floor and case in figures:
            share = floor / figures[case]
            print(f"bare {case} route ÷ {case} GET /session: {share:.1%}")


if __name__ == "__main__":
    main()
