"""authcore benchmarks, side by side with @auth/core 0.41.3, joserfc and the raw crypto floor.

Run through `bench/run` (it sets up the venv and bench/node). Every case hands the same
tokens and cookies, minted once here (bench/_floor.py), to every implementation; the Node side
is bench/node/bench.mjs, driven in-process on the same work. Figures are medians of several
timed batches after a warm-up (bench/_timing.py). Not part of the test suite: nothing here
asserts on time; targets are printed PASS/FAIL.
"""

from __future__ import annotations

import argparse
import asyncio
import compileall
import importlib
import importlib.util
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import Awaitable, Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, quote, urlsplit

from _floor import Key, derive, floor_decode, floor_decode_crypto_only, floor_encode, mint
from _timing import Result, Timing, measure, measure_async, measure_each

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
NODE_DIR = HERE / "node"

ORIGIN = "http://localhost:3000"
BASE_PATH = "/api/auth"
SALT = "authjs.session-token"
CHUNK_SIZE = 3936  # Auth.js `src/lib/utils/cookie.ts`
MAX_AGE = 30 * 24 * 60 * 60
SECRET = "bench-secret-9c0f3e6a1b7d4c2e8f5a0b3d6e9c1f4a"
CSRF_TOKEN = "b" * 64
CLAIMS: dict[str, Any] = {
    "name": "Bob Example",
    "email": "bob@example.com",
    "picture": "https://example.com/avatars/bob.png",
    "sub": "4f6c5a2e-9b1d-4e8a-a3c7-2d5b8e1f0a96",
}

AUTHCORE = "authcore"
NODE = "@auth/core"
JOSERFC = "joserfc"
FLOOR = "floor"
IMPLS = (AUTHCORE, NODE, JOSERFC, FLOOR)
ADAPTERS = ("starlette", "flask", "django")


# --------------------------------------------------------------------------------------------
# Fixture: tokens and cookies, minted once and shared by every implementation


def secrets_list(n: int) -> list[str]:
    return [SECRET] if n == 1 else [f"{SECRET}-rotated-{i}" for i in range(n - 1)] + [SECRET]


def token_of_size(target_chars: int, now: int, secrets: Sequence[str] = (SECRET,)) -> str:
    """A session token about `target_chars` long: CLAIMS plus a `bio` filler."""
    if target_chars <= 0:
        return mint(CLAIMS, secrets, SALT, now=now, max_age=MAX_AGE)
    base = len(mint(CLAIMS | {"bio": ""}, secrets, SALT, now=now, max_age=MAX_AGE))
    bio = max(0, (target_chars - base) * 3 // 4)
    return mint(CLAIMS | {"bio": "x" * bio}, secrets, SALT, now=now, max_age=MAX_AGE)


def session_cookie(token: str) -> str:
    """The Cookie header a browser sends back for this session token (Auth.js
    `src/lib/utils/cookie.ts` chunking)."""
    if len(token) <= CHUNK_SIZE:
        return f"{SALT}={token}"
    parts = [token[i : i + CHUNK_SIZE] for i in range(0, len(token), CHUNK_SIZE)]
    return "; ".join(f"{SALT}.{i}={part}" for i, part in enumerate(parts))


def csrf_cookie(secret: str | Sequence[str]) -> str:
    """A valid CSRF cookie for CSRF_TOKEN (Auth.js `src/lib/actions/callback/oauth/csrf-token.ts`:
    sha256(token + String(secret)))."""
    import hashlib

    joined = secret if isinstance(secret, str) else ",".join(secret)
    digest = hashlib.sha256((CSRF_TOKEN + joined).encode()).hexdigest()
    return f"authjs.csrf-token={CSRF_TOKEN}%7C{digest}"


def browser_cookies(token: str) -> str:
    """What a signed-in browser sends: the session plus the CSRF and callback-URL cookies
    from its sign-in, so `init` verifies instead of minting (steady state, Auth.js
    `src/lib/actions/callback/oauth/csrf-token.ts`, `src/lib/utils/callback-url.ts`)."""
    callback = quote(ORIGIN, safe="")
    return f"{session_cookie(token)}; {csrf_cookie(SECRET)}; authjs.callback-url={callback}"


@dataclass
class Fixture:
    now: int
    token: str
    key: Key
    chunked: str  # ~8 KB, three chunks
    by_chunks: dict[int, str]
    by_secrets: dict[int, str]  # token keyed by the LAST of n secrets

    @classmethod
    def build(cls) -> Fixture:
        now = int(time.time())
        by_secrets = {
            n: mint(CLAIMS, secrets_list(n)[-1:], SALT, now=now, max_age=MAX_AGE)
            for n in (1, 4, 16)
        }
        return cls(
            now=now,
            token=mint(CLAIMS, [SECRET], SALT, now=now, max_age=MAX_AGE),
            key=derive(SECRET, SALT),
            chunked=token_of_size(8192, now),
            by_chunks={1: token_of_size(3700, now), 2: token_of_size(7600, now)}
            | {4: token_of_size(14500, now)},
            by_secrets=by_secrets,
        )


# --------------------------------------------------------------------------------------------
# Rows and the table


@dataclass
class Row:
    case: str
    group: str
    unit: str = "µs/op"  # or "ops/s", "ms"
    figures: dict[str, float | None] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def get(self, impl: str) -> float | None:
        return self.figures.get(impl)


@dataclass
class Target:
    name: str
    goal: str
    value: float | None
    ok: bool | None
    detail: str = ""

    @property
    def verdict(self) -> str:
        return "n/a" if self.ok is None else ("PASS" if self.ok else "FAIL")


def fmt(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    if unit == "ops/s" or value >= 1000:
        return f"{value:,.0f}"
    if value >= 100:
        return f"{value:.0f}"
    if value >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}"


def ratio(a: float | None, b: float | None) -> float | None:
    return None if a is None or b is None or b == 0 else a / b


def fmt_ratio(value: float | None) -> str:
    return "—" if value is None else (f"{value:.1f}×" if value >= 10 else f"{value:.2f}×")


def render(rows: list[Row], targets: list[Target], meta: dict[str, Any]) -> str:
    out: list[str] = []
    out.append(
        f"authcore bench — {meta['machine']} — Python {meta['python']}, "
        f"Node {meta.get('node', '?')}, @auth/core {meta.get('@auth/core', '?')}, "
        f"joserfc {meta.get('joserfc', '?')}, cryptography {meta['cryptography']}"
    )
    out.append(
        f"mode: {meta['mode']}; each figure is the median of {meta['repeats']} timed batches, "
        f"best of {meta['rounds']} round(s)"
    )
    header = ["case", "unit", *IMPLS, f"{NODE}÷authcore", "joserfc÷authcore", "authcore÷floor"]
    lines = [header]
    group = None
    for row in rows:
        if row.group != group:
            group = row.group
            lines.append([f"[{group}]"] + [""] * (len(header) - 1))
        a = row.get(AUTHCORE)
        if row.unit == "ops/s":  # higher is better: speed-up is authcore ÷ node
            speed = ratio(a, row.get(NODE))
            peer = ratio(a, row.get(JOSERFC))
            floor_r = ratio(row.get(FLOOR), a)
        else:
            speed = ratio(row.get(NODE), a)
            peer = ratio(row.get(JOSERFC), a)
            floor_r = ratio(a, row.get(FLOOR))
        cells = [row.case, row.unit]
        for impl in IMPLS:
            cells.append(fmt(row.get(impl), row.unit))
        cells += [fmt_ratio(speed), fmt_ratio(peer), fmt_ratio(floor_r)]
        lines.append(cells)
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    for line in lines:
        if line[0].startswith("[") and not any(line[1:]):
            out.append(line[0])
            continue
        out.append(
            "  ".join(
                c.ljust(w) if i == 0 else c.rjust(w)
                for i, (c, w) in enumerate(zip(line, widths, strict=True))
            )
        )
    notes = [(row.case, n) for row in rows for n in row.notes]
    if notes:
        out.append("")
        out.append("notes (from round 1):")
        out.extend(f"  {case}: {n}" for case, n in notes)
    out.append("")
    out.append("targets:")
    for t in targets:
        value = "—" if t.value is None else f"{t.value:.2f}"
        out.append(f"  {t.verdict:4}  {t.name:44} {t.goal:14} measured {value:>8}  {t.detail}")
    return "\n".join(out)


def render_markdown(rows: list[Row], targets: list[Target]) -> str:
    ratios = f"{NODE} ÷ authcore | joserfc ÷ authcore | authcore ÷ floor"
    head = f"| case | unit | {' | '.join(IMPLS)} | {ratios} |"
    out = [head, "|" + "---|" * (head.count("|") - 1)]
    for row in rows:
        a = row.get(AUTHCORE)
        if row.unit == "ops/s":
            rs = (ratio(a, row.get(NODE)), ratio(a, row.get(JOSERFC)), ratio(row.get(FLOOR), a))
        else:
            rs = (ratio(row.get(NODE), a), ratio(row.get(JOSERFC), a), ratio(a, row.get(FLOOR)))
        cells = [f"{row.group}: {row.case}", row.unit]
        cells += [fmt(row.get(i), row.unit) for i in IMPLS] + [fmt_ratio(r) for r in rs]
        out.append("| " + " | ".join(cells) + " |")
    out.append("")
    out.append("| target | goal | measured | result |")
    out.append("|---|---|---|---|")
    for t in targets:
        value = "—" if t.value is None else f"{t.value:.2f}"
        out.append(f"| {t.name} | {t.goal} | {value} {t.detail} | {t.verdict} |")
    return "\n".join(out)


# --------------------------------------------------------------------------------------------
# Implementations available in this tree


def have(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):
        return False


def authcore_attr(name: str) -> Any:
    import authcore

    return getattr(authcore, name, None)


def core_present() -> bool:
    return have("authcore") and authcore_attr("Auth") is not None


def mock_present() -> bool:
    if not have("authcore.testing"):
        return False
    return getattr(importlib.import_module("authcore.testing"), "MockIdP", None) is not None


def instagram_present() -> bool:
    return have("authcore.providers.instagram")


# --------------------------------------------------------------------------------------------
# Node side


def run_node(spec: dict[str, Any]) -> dict[str, Any]:
    if not (NODE_DIR / "node_modules" / "@auth" / "core").is_dir():
        return {"error": "bench/node/node_modules missing (run bench/run, which runs npm ci)"}
    proc = subprocess.run(
        ["node", str(NODE_DIR / "bench.mjs")],
        input=json.dumps(spec),
        capture_output=True,
        text=True,
        cwd=NODE_DIR,
        check=False,
    )
    if proc.returncode != 0:
        return {"error": f"node exited {proc.returncode}: {proc.stderr.strip()[-2000:]}"}
    out: dict[str, Any] = json.loads(proc.stdout)
    return out


def node_us(node: dict[str, Any], name: str, notes: list[str]) -> float | None:
    result = node.get("results", {}).get(name)
    if result is None:
        if "error" in node:
            notes.append(f"@auth/core: {node['error'][:300]}")
        return None
    if "error" in result:
        notes.append(f"@auth/core: {result['error'][:300]}")
        return None
    if "ops_per_s" in result:
        return float(result["ops_per_s"])
    return float(result["ns_per_op"]) / 1000


# --------------------------------------------------------------------------------------------
# Python side: requests through Auth()


def auth_request(method: str, path: str, cookie: str | None = None, body: str | None = None) -> Any:
    request_cls = authcore_attr("Request")
    headers: list[tuple[str, str]] = []
    if cookie:
        headers.append(("cookie", cookie))
    if body is not None:
        headers.append(("content-type", "application/x-www-form-urlencoded"))
    return request_cls(
        method, f"{ORIGIN}{BASE_PATH}{path}", headers=headers, body=(body or "").encode()
    )


def config_for(
    secret: str | list[str], providers: Sequence[Any] = (), **extra: Any
) -> dict[str, Any]:
    return {
        "providers": list(providers),
        "secret": secret,
        "trust_host": True,
        "base_path": BASE_PATH,
        **extra,
    }


def check_response(name: str, response: Any, status: int, session: bool = False) -> None:
    if response.status != status:
        raise RuntimeError(
            f"{name}: authcore answered {response.status}, expected {status} "
            f"({response.body[:200]!r} {response.location})"
        )
    if session:
        body = response.json()
        if not body or "user" not in body:
            raise RuntimeError(f"{name}: no session in {response.body[:200]!r}")


def time_auth(
    name: str,
    make: Callable[[], Any],
    config: dict[str, Any],
    timing: Timing,
    status: int,
    session: bool = False,
) -> Result:
    auth = authcore_attr("Auth")
    response = asyncio.run(auth(make(), config))
    check_response(name, response, status, session)

    def op() -> Awaitable[Any]:
        result: Awaitable[Any] = auth(make(), config)
        return result

    return measure_async(op, timing)


def time_auth_sync(
    name: str, make: Callable[[], Any], config: dict[str, Any], timing: Timing, status: int
) -> Result | None:
    auth_sync = authcore_attr("auth_sync")
    if auth_sync is None:
        return None
    check_response(name, auth_sync(make(), config), status, True)
    return measure(lambda: auth_sync(make(), config), timing)


def set_cookie_pairs(response: Any) -> list[str]:
    return [line.split(";", 1)[0] for line in response.set_cookies]


# --------------------------------------------------------------------------------------------
# The mock identity provider and sign-in rounds


@dataclass
class Mock:
    options: dict[str, Any]
    node: dict[str, Any]


@contextmanager
def mock_idp(*, replayable_codes: bool = False) -> Iterator[Mock | None]:
    """The mock IdP in a separate process, shared by both sides (bench/_mock_proc.py);
    `replayable_codes` for a load generator replaying one callback (bench/server.py)."""
    if not (mock_present() and instagram_present()):
        yield None
        return
    proc = subprocess.Popen(
        [sys.executable, str(HERE / "_mock_proc.py"), *(["--replayable-codes"] * replayable_codes)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        if not line:
            raise RuntimeError("bench/_mock_proc.py did not start")
        options = json.loads(line)
        yield Mock(options=options, node=node_instagram(options))
    finally:
        assert proc.stdin is not None
        proc.stdin.close()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def node_instagram(options: dict[str, Any]) -> dict[str, Any]:
    """The stock @auth/core Instagram provider, pointed at the mock's endpoints.

    Its default `scope=user_profile` is the retired Basic Display scope, which the mock (like
    Instagram) refuses, so the scope is set to `instagram_business_basic`; the mock answers
    the code exchange with `token_type` (shape "with_token_type") so that oauth4webapi accepts
    it (Auth.js `src/providers/instagram.ts`) and both sides do the same two IdP round trips (token,
    /me)."""
    return {
        "clientId": options["client_id"],
        "clientSecret": options["client_secret"],
        "authorization": {
            "url": options["authorization"],
            "params": {"scope": "instagram_business_basic"},
        },
        "token": options["token"],
        "userinfo": f"{options['userinfo']}?fields=id,username,account_type,name",
        "add_token_type": False,
    }


class SigninRounds:
    """Untimed set-up of callbacks: POST /signin/instagram, then the mock's authorize URL."""

    def __init__(self, config: dict[str, Any]) -> None:
        import httpx

        self.config = config
        self.client = httpx.AsyncClient(follow_redirects=False)
        self.csrf = csrf_cookie(config["secret"])

    async def prepare(self) -> Any:
        auth = authcore_attr("Auth")
        body = f"csrfToken={CSRF_TOKEN}&callbackUrl={quote(ORIGIN + '/', safe='')}"
        signin = await auth(auth_request("POST", "/signin/instagram", self.csrf, body), self.config)
        check_response("signin", signin, 302)
        authorize = await self.client.get(signin.location)
        back = authorize.headers.get("location", "")
        query = urlsplit(back).query
        if "code=" not in query:
            raise RuntimeError(f"mock authorize answered {authorize.status_code} {back[:200]}")
        cookie = "; ".join([self.csrf, *set_cookie_pairs(signin)])
        params = "&".join(f"{k}={quote(v, safe='')}" for k, v in parse_qsl(query))
        return auth_request("GET", f"/callback/instagram?{params}", cookie)

    async def callback(self, request: Any) -> int:
        auth = authcore_attr("Auth")
        t0 = time.perf_counter_ns()
        response = await auth(request, self.config)
        dt = time.perf_counter_ns() - t0
        if not signed_in(response):
            raise RuntimeError(
                f"callback: authcore answered {response.status} -> {response.location}"
            )
        return dt

    async def close(self) -> None:
        await self.client.aclose()


def signed_in(response: Any) -> bool:
    """A successful callback: a redirect that sets the session cookie (an error also
    redirects, to the error page, without one)."""
    pairs = set_cookie_pairs(response)
    return bool(response.status == 302 and any(p.startswith(f"{SALT}") for p in pairs))


def instagram_provider(mock: Mock) -> Any:
    module = importlib.import_module("authcore.providers.instagram")
    return module.Instagram(**mock.options)


def time_callback(mock: Mock, timing: Timing) -> Result:
    config = config_for(SECRET, [instagram_provider(mock)])
    loop = asyncio.new_event_loop()
    rounds = SigninRounds(config)
    try:

        def one() -> int:
            async def go() -> int:
                return await rounds.callback(await rounds.prepare())

            return loop.run_until_complete(go())

        return measure_each(
            one, ops=timing.callback_ops, warmup=timing.callback_warmup, repeats=timing.repeats
        )
    finally:
        loop.run_until_complete(rounds.close())
        loop.close()


def callback_throughput(mock: Mock, concurrency: int, timing: Timing) -> float:
    """Sign-ins per second with `concurrency` callbacks in flight on one event loop."""
    config = config_for(SECRET, [instagram_provider(mock)])
    loop = asyncio.new_event_loop()
    rounds = SigninRounds(config)
    try:

        async def batch() -> float:
            requests = [await rounds.prepare() for _ in range(concurrency)]
            auth = authcore_attr("Auth")
            t0 = time.perf_counter_ns()
            responses = await asyncio.gather(*(auth(r, config) for r in requests))
            dt = time.perf_counter_ns() - t0
            bad = [r.status for r in responses if not signed_in(r)]
            if bad:
                raise RuntimeError(f"concurrent callbacks answered {bad[:5]}")
            return concurrency / (dt / 1e9)

        loop.run_until_complete(batch())  # warm-up
        repeats = max(3, timing.repeats)
        return statistics.median(loop.run_until_complete(batch()) for _ in range(repeats))
    finally:
        loop.run_until_complete(rounds.close())
        loop.close()


# --------------------------------------------------------------------------------------------
# joserfc


def joserfc_decoder(key: Key) -> Callable[[str], Any] | None:
    if not have("joserfc"):
        return None
    from joserfc import jwe, jwt
    from joserfc.jwk import OctKey

    oct_key = OctKey.import_key(key.mac_key + key.enc_key)
    claims_registry = jwt.JWTClaimsRegistry(leeway=15)

    def decode(token: str) -> Any:
        plaintext = jwe.decrypt_compact(token, oct_key).plaintext
        assert plaintext is not None
        claims = json.loads(plaintext)
        claims_registry.validate(claims)
        return claims

    return decode


def joserfc_encoder(key: Key) -> Callable[[dict[str, Any]], str] | None:
    if not have("joserfc"):
        return None
    from joserfc import jwe
    from joserfc.jwk import OctKey

    oct_key = OctKey.import_key(key.mac_key + key.enc_key)
    header = {"alg": "dir", "enc": "A256CBC-HS512", "kid": key.kid}

    def encode(claims: dict[str, Any]) -> str:
        now = int(time.time())
        body = {**claims, "iat": now, "exp": now + MAX_AGE, "jti": str(uuid.uuid4())}
        token: str = jwe.encrypt_compact(header, json.dumps(body), oct_key)
        return token

    return encode


# --------------------------------------------------------------------------------------------
# Import time and adapters


def import_ms(module: str, runs: int, *, after: str | None = None) -> float | None:
    """Median time of `import <module>` in a fresh interpreter, from `-X importtime`: the sum
    of the cumulative figures of the top-level imports the statement triggers (the
    interpreter's own start-up imports, and the `after` module imported first, come before a
    marker and are left out)."""
    if not have(module):
        return None
    pattern = re.compile(r"import time:\s+\d+ \|\s+(\d+) \| (\S.*)$")
    first = f"import {after}; " if after else ""
    code = f"{first}import sys; sys.stderr.write('@@start\\n'); sys.stderr.flush(); import {module}"
    samples = []
    for _ in range(runs):
        proc = subprocess.run(
            [sys.executable, "-X", "importtime", "-c", code],
            capture_output=True,
            text=True,
            check=False,
            cwd=ROOT,
        )
        if proc.returncode != 0:
            return None
        after = proc.stderr.split("@@start\n", 1)[-1]
        total = 0
        for line in after.splitlines():
            m = pattern.match(line)
            if m:  # indented (nested) names do not match: they are inside a top-level figure
                total += int(m.group(1))
        samples.append(total / 1000)
    return statistics.median(samples)


PROVIDER_PROBE = "authcore.providers.apple"  # a catalog provider with hooks of its own


def providers_loaded(statement: str) -> int | None:
    """How many catalog provider modules `statement` loads in a fresh interpreter."""
    if not have("authcore.providers.catalog"):
        return None
    code = (
        f"{statement}\nimport sys\nfrom authcore.providers._registry import builtin_index\n"
        "print(sum(m in sys.modules for m, _ in builtin_index().values()))"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, cwd=ROOT
    )
    return int(proc.stdout.strip()) if proc.returncode == 0 else None


def import_wall_ms(module: str, runs: int) -> float | None:
    """Median wall time of `python -c 'import <module>'` minus that of `python -c pass`."""
    if not have(module):
        return None

    def once(code: str) -> float:
        t0 = time.perf_counter_ns()
        subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)
        return (time.perf_counter_ns() - t0) / 1e6

    base = statistics.median(once("pass") for _ in range(runs))
    return statistics.median(once(f"import {module}") for _ in range(runs)) - base


def adapter_module(name: str) -> Any | None:
    try:
        return importlib.import_module(f"authcore.adapters.{name}")
    except ImportError:
        return None


def adapter_overhead(
    name: str, fx: Fixture, timing: Timing
) -> dict[str, tuple[float, float]] | str:
    """Per driver ("test client", "direct"): (session read, bare handler) in µs/op."""
    module = adapter_module(name)
    if module is None:
        return "n/a (adapter not present)"
    from _adapters import BUILDERS

    try:
        app = BUILDERS[name](module, config_for(SECRET), BASE_PATH)
    except Exception as exc:  # an adapter API we do not know yet: say so, do not crash
        return f"n/a (adapter API not recognised: {type(exc).__name__}: {exc})"
    cookie = session_cookie(fx.token)
    out = {}
    for driver, target in (("test client", app), ("direct", app.direct)):
        if target is None:
            continue
        target.check(cookie)
        read = measure(lambda t=target: t.session(cookie), timing)  # type: ignore[misc]
        bare = measure(target.bare, timing)
        out[driver] = (read.ns_per_op / 1000, bare.ns_per_op / 1000)
    return out


# --------------------------------------------------------------------------------------------
# The run


def node_spec(fx: Fixture, timing: Timing, mock: Mock | None, quick: bool) -> dict[str, Any]:
    cases: list[dict[str, Any]] = [
        {"name": "jwt decode", "kind": "jwt_decode", "token": fx.token},
        {"name": "jwt encode", "kind": "jwt_encode", "payload": CLAIMS},
        {
            "name": "GET /session",
            "kind": "auth",
            "path": "/session",
            "cookie": session_cookie(fx.token),
            "expect_status": 200,
            "expect_session": True,
        },
        {
            "name": "GET /session, signed-in browser",
            "kind": "auth",
            "path": "/session",
            "cookie": browser_cookies(fx.token),
            "expect_status": 200,
            "expect_session": True,
        },
        {"name": "GET /csrf", "kind": "auth", "path": "/csrf", "expect_status": 200},
        {"name": "GET /providers", "kind": "auth", "path": "/providers", "expect_status": 200},
        {
            "name": "GET /session, 8 KB chunked",
            "kind": "auth",
            "path": "/session",
            "cookie": session_cookie(fx.chunked),
            "expect_status": 200,
            "expect_session": True,
        },
    ]
    for n, token in fx.by_chunks.items():
        cases.append(
            {
                "name": f"session read, {n} chunk(s)",
                "kind": "auth",
                "path": "/session",
                "cookie": session_cookie(token),
                "expect_status": 200,
                "expect_session": True,
            }
        )
    for n, token in fx.by_secrets.items():
        cases.append(
            {
                "name": f"session read, {n} secret(s)",
                "kind": "auth",
                "path": "/session",
                "cookie": session_cookie(token),
                "secret": secrets_list(n),
                "expect_status": 200,
                "expect_session": True,
            }
        )
        cases.append(
            {
                "name": f"jwt decode, {n} secret(s)",
                "kind": "jwt_decode",
                "token": token,
                "secret": secrets_list(n),
            }
        )
    if mock is not None:
        body = f"csrfToken={CSRF_TOKEN}&callbackUrl={quote(ORIGIN + '/', safe='')}"
        cases.append(
            {
                "name": "POST /signin/instagram",
                "kind": "auth",
                "method": "POST",
                "path": "/signin/instagram",
                "cookie": csrf_cookie(SECRET),
                "body": body,
                "expect_status": 302,
            }
        )
        cases.append(
            {
                "name": "callback (full, mock IdP)",
                "kind": "callback",
                "cookie": csrf_cookie(SECRET),
                "csrf_token": CSRF_TOKEN,
            }
        )
        for k in (1, 10, 100):
            cases.append(
                {
                    "name": f"sign-ins/s, {k} concurrent",
                    "kind": "callback_concurrent",
                    "concurrency": k,
                    "cookie": csrf_cookie(SECRET),
                    "csrf_token": CSRF_TOKEN,
                }
            )
    return {
        "timing": timing.node(),
        "secret": SECRET,
        "salt": SALT,
        "origin": ORIGIN,
        "base_path": BASE_PATH,
        "instagram": mock.node if mock else None,
        "cases": cases,
    }


class Bench:
    def __init__(self, timing: Timing, quick: bool, fx: Fixture) -> None:
        self.timing = timing
        self.quick = quick
        self.fx = fx
        self.rows: list[Row] = []
        self.node: dict[str, Any] = {}

    def row(self, case: str, group: str, unit: str = "µs/op") -> Row:
        r = Row(case, group, unit)
        self.rows.append(r)
        return r

    def us(self, fn: Callable[[], object]) -> float:
        return measure(fn, self.timing).ns_per_op / 1000

    def verify_tokens(self) -> None:
        """Every implementation must read the shared tokens before anything is timed."""
        fx = self.fx
        assert floor_decode(fx.token, fx.key)["name"] == CLAIMS["name"]
        dec = joserfc_decoder(fx.key)
        if dec is not None:
            assert dec(fx.token)["sub"] == CLAIMS["sub"]

    def run(self, mock: Mock | None) -> None:
        fx, timing = self.fx, self.timing
        self.verify_tokens()
        print("running @auth/core (node)…", file=sys.stderr, flush=True)
        self.node = run_node(node_spec(fx, timing, mock, self.quick))
        print("running python implementations…", file=sys.stderr, flush=True)
        jwt_mod = importlib.import_module("authcore.jwt") if have("authcore.jwt") else None
        core = core_present()

        # jwt decode / encode
        r = self.row("jwt decode", "per request")
        if jwt_mod is not None:
            jwt_decode = jwt_mod.decode
            assert jwt_decode(token=fx.token, secret=SECRET, salt=SALT)["sub"] == CLAIMS["sub"]
            r.figures[AUTHCORE] = self.us(
                lambda: jwt_decode(token=fx.token, secret=SECRET, salt=SALT)
            )
        r.figures[NODE] = node_us(self.node, "jwt decode", r.notes)
        dec = joserfc_decoder(fx.key)
        if dec is not None:
            r.figures[JOSERFC] = self.us(lambda: dec(fx.token))
        r.figures[FLOOR] = self.us(lambda: floor_decode(fx.token, fx.key))
        crypto_only = self.us(lambda: floor_decode_crypto_only(fx.token, fx.key))
        r.notes.append(
            f"floor = b64 + HMAC-SHA-512 + AES-256-CBC + unpad + json.loads; "
            f"without json.loads {crypto_only:.2f} µs"
        )

        r = self.row("jwt encode", "per request")
        if jwt_mod is not None:
            jwt_encode = jwt_mod.encode
            r.figures[AUTHCORE] = self.us(
                lambda: jwt_encode(token=CLAIMS, secret=SECRET, salt=SALT)
            )
        r.figures[NODE] = node_us(self.node, "jwt encode", r.notes)
        enc = joserfc_encoder(fx.key)
        if enc is not None:
            r.figures[JOSERFC] = self.us(lambda: enc(CLAIMS))
        r.figures[FLOOR] = self.us(lambda: floor_encode(CLAIMS, fx.key))

        # Auth() per-request cases
        session = session_cookie(fx.token)
        cfg = config_for(SECRET)
        self.auth_row(
            "GET /session",
            lambda: auth_request("GET", "/session", session),
            cfg,
            200,
            True,
            floor=r_floor(fx.token, fx.key, timing),
        )
        if core:
            sync = time_auth_sync(
                "GET /session (auth_sync)",
                lambda: auth_request("GET", "/session", session),
                cfg,
                timing,
                200,
            )
            r = self.row("GET /session via auth_sync", "per request")
            r.figures[AUTHCORE] = None if sync is None else sync.ns_per_op / 1000
            r.figures[NODE] = node_us(self.node, "GET /session", [])
        browser = browser_cookies(fx.token)
        self.auth_row(
            "GET /session, signed-in browser",
            lambda: auth_request("GET", "/session", browser),
            cfg,
            200,
            True,
        )
        self.auth_row("GET /csrf", lambda: auth_request("GET", "/csrf"), cfg, 200)
        self.auth_row("GET /providers", lambda: auth_request("GET", "/providers"), cfg, 200)

        r = self.row("POST /signin/instagram", "per request")
        r.figures[NODE] = node_us(self.node, "POST /signin/instagram", r.notes)
        r2 = self.row("callback (full, mock IdP)", "per request")
        r2.figures[NODE] = node_us(self.node, "callback (full, mock IdP)", r2.notes)
        if mock is None:
            r.notes.append("n/a (mock IdP or Instagram provider not present)")
        elif core:
            ig_cfg = config_for(SECRET, [instagram_provider(mock)])
            body = f"csrfToken={CSRF_TOKEN}&callbackUrl={quote(ORIGIN + '/', safe='')}"
            csrf = csrf_cookie(SECRET)
            res = time_auth(
                "POST /signin/instagram",
                lambda: auth_request("POST", "/signin/instagram", csrf, body),
                ig_cfg,
                timing,
                302,
            )
            r.figures[AUTHCORE] = res.ns_per_op / 1000
            r2.figures[AUTHCORE] = time_callback(mock, timing).ns_per_op / 1000

        chunked = session_cookie(fx.chunked)
        self.auth_row(
            f"GET /session, 8 KB chunked ({len(fx.chunked)} chars)",
            lambda: auth_request("GET", "/session", chunked),
            cfg,
            200,
            True,
            node_name="GET /session, 8 KB chunked",
            floor=r_floor(fx.chunked, fx.key, timing),
        )

        # growth
        for n, token in fx.by_chunks.items():
            cookie = session_cookie(token)
            self.auth_row(
                f"session read, {n} chunk(s) ({len(token)} chars)",
                lambda c=cookie: auth_request("GET", "/session", c),  # type: ignore[misc]
                cfg,
                200,
                True,
                group="growth: token size",
                node_name=f"session read, {n} chunk(s)",
                floor=r_floor(token, fx.key, timing),
            )
        for n, token in fx.by_secrets.items():
            cookie = session_cookie(token)
            self.auth_row(
                f"session read, {n} secret(s)",
                lambda c=cookie: auth_request("GET", "/session", c),  # type: ignore[misc]
                config_for(secrets_list(n)),
                200,
                True,
                group="growth: rotated secrets",
                node_name=f"session read, {n} secret(s)",
            )
        for n, token in fx.by_secrets.items():
            r = self.row(f"jwt decode, {n} secret(s)", "growth: rotated secrets")
            if jwt_mod is not None:
                secrets = secrets_list(n)
                r.figures[AUTHCORE] = self.us(
                    lambda t=token, s=secrets: jwt_decode(token=t, secret=s, salt=SALT)  # type: ignore[misc]
                )
            r.figures[NODE] = node_us(self.node, f"jwt decode, {n} secret(s)", r.notes)
            r.figures[FLOOR] = self.us(lambda t=token: floor_decode(t, fx.key))  # type: ignore[misc]
        for k in (1, 10, 100):
            r = self.row(f"sign-ins/s, {k} concurrent callbacks", "growth: concurrency", "ops/s")
            r.figures[NODE] = node_us(self.node, f"sign-ins/s, {k} concurrent", r.notes)
            if mock is not None and core:
                r.figures[AUTHCORE] = callback_throughput(mock, k, timing)

        # import time, as an installed package sees it: pip writes the bytecode at install, but
        # this tree may run with PYTHONDONTWRITEBYTECODE=1 (then every import would compile
        # the sources, ~25 ms of it for authcore). Compile once, explicitly, before measuring.
        compileall.compile_dir(str(ROOT / "authcore"), quiet=1)
        runs = 5 if self.quick else 11
        r = self.row("import authcore", "import", "ms")
        r.figures[AUTHCORE] = import_ms("authcore", runs)
        wall = import_wall_ms("authcore", runs)
        if wall is not None:
            r.notes.append(f"wall clock, interpreter start-up subtracted: {wall:.1f} ms")
        r = self.row(f"import {PROVIDER_PROBE}, authcore already imported", "import", "ms")
        r.figures[AUTHCORE] = import_ms(PROVIDER_PROBE, runs, after="authcore")
        for statement in ("import authcore", f"import {PROVIDER_PROBE}"):
            r = self.row(f"catalog provider modules loaded by `{statement}`", "import", "count")
            loaded = providers_loaded(statement)
            r.figures[AUTHCORE] = None if loaded is None else float(loaded)
        for name in ADAPTERS:
            r = self.row(f"import authcore.adapters.{name}", "import", "ms")
            r.figures[AUTHCORE] = import_ms(f"authcore.adapters.{name}", runs)
            if r.figures[AUTHCORE] is None:
                r.notes.append("n/a (adapter not present)")

        # adapters
        direct_call = {"starlette": "ASGI call", "flask": "WSGI call", "django": "WSGI call"}
        for name in ADAPTERS:
            got = adapter_overhead(name, fx, timing) if core else "n/a (core not present)"
            core_row = "GET /session via auth_sync" if name != "starlette" else "GET /session"
            core_us = next((x.get(AUTHCORE) for x in self.rows if x.case == core_row), None)
            for driver in ("test client", "direct"):
                label = driver if driver == "test client" else direct_call[name]
                r = self.row(f"{name} adapter overhead ({label})", "adapters")
                if isinstance(got, str):
                    r.notes.append(got)
                    continue
                if driver not in got:
                    continue
                read, bare = got[driver]
                r.figures[AUTHCORE] = read - bare
                extra = (
                    ""
                    if core_us is None
                    else f"; less the core's own session read ({core_us:.1f} µs): "
                    f"{read - bare - core_us:.1f} µs of translation"
                )
                r.notes.append(
                    f"session read {read:.1f} µs/op − bare handler {bare:.1f} µs/op{extra}"
                )

    def auth_row(
        self,
        case: str,
        make: Callable[[], Any],
        config: dict[str, Any],
        status: int,
        session: bool = False,
        *,
        group: str = "per request",
        node_name: str | None = None,
        floor: float | None = None,
    ) -> None:
        r = self.row(case, group)
        r.figures[NODE] = node_us(self.node, node_name or case, r.notes)
        r.figures[FLOOR] = floor
        if not core_present():
            r.notes.append("authcore: n/a (core not present yet)")
            return
        try:
            r.figures[AUTHCORE] = (
                time_auth(case, make, config, self.timing, status, session).ns_per_op / 1000
            )
        except Exception as exc:
            r.notes.append(f"authcore: {type(exc).__name__}: {exc}"[:300])

    def targets(self) -> list[Target]:
        by = {r.case: r for r in self.rows}

        def fig(case: str, impl: str) -> float | None:
            row = by.get(case)
            return None if row is None else row.get(impl)

        out = []
        dec_node = ratio(fig("jwt decode", NODE), fig("jwt decode", AUTHCORE))
        out.append(
            Target("jwt decode vs @auth/core (ops/s ratio)", "≥ 20×", dec_node, _ge(dec_node, 20))
        )
        dec_jose = ratio(fig("jwt decode", JOSERFC), fig("jwt decode", AUTHCORE))
        out.append(
            Target("jwt decode vs joserfc (ops/s ratio)", "≥ 1×", dec_jose, _ge(dec_jose, 1))
        )
        ses = ratio(fig("GET /session", NODE), fig("GET /session", AUTHCORE))
        out.append(Target("GET /session via Auth() vs @auth/core", "≥ 10×", ses, _ge(ses, 10)))
        fl = ratio(fig("jwt decode", AUTHCORE), fig("jwt decode", FLOOR))
        out.append(Target("session decode ÷ raw crypto floor", "≤ 1.5×", fl, _le(fl, 1.5)))
        flat = ratio(
            fig("session read, 16 secret(s)", AUTHCORE), fig("session read, 1 secret(s)", AUTHCORE)
        )
        out.append(
            Target(
                "session read, 16 secrets ÷ 1 secret (flat)",
                "≤ 1.2×",
                flat,
                _le(flat, 1.2),
                "(GET /session through Auth())",
            )
        )
        flat_jwt = ratio(
            fig("jwt decode, 16 secret(s)", AUTHCORE), fig("jwt decode, 1 secret(s)", AUTHCORE)
        )
        out.append(
            Target(
                "jwt decode, 16 secrets ÷ 1 secret (flat)", "≤ 1.2×", flat_jwt, _le(flat_jwt, 1.2)
            )
        )
        imp = fig("import authcore", AUTHCORE)
        out.append(
            Target("import authcore", "< 60 ms", imp, None if imp is None else imp < 60, "ms")
        )
        for statement, goal in (("import authcore", 0), (f"import {PROVIDER_PROBE}", 1)):
            n = fig(f"catalog provider modules loaded by `{statement}`", AUTHCORE)
            out.append(
                Target(
                    f"provider modules loaded by `{statement}`",
                    f"= {goal}",
                    n,
                    None if n is None else n == goal,
                    "the catalog stays lazy",
                )
            )
        # relative to `import authcore`, so a loaded machine does not decide the verdict
        one = ratio(fig(f"import {PROVIDER_PROBE}, authcore already imported", AUTHCORE), imp)
        out.append(
            Target(
                "import one provider after authcore ÷ import authcore",
                "≤ 0.1×",
                one,
                _le(one, 0.1),
                "one module, nothing else",
            )
        )
        return out


def merge_rounds(rounds: list[list[Row]]) -> list[Row]:
    """Per figure, the best round: the least µs/op or ms, the most ops/s."""
    merged = []
    for rows in zip(*rounds, strict=True):
        first = rows[0]
        out = Row(first.case, first.group, first.unit, notes=list(first.notes))
        for impl in IMPLS:
            values = [v for r in rows if (v := r.get(impl)) is not None]
            if values:
                out.figures[impl] = max(values) if first.unit == "ops/s" else min(values)
        merged.append(out)
    return merged


def r_floor(token: str, key: Key, timing: Timing) -> float:
    return measure(lambda: floor_decode(token, key), timing).ns_per_op / 1000


def _ge(value: float | None, goal: float) -> bool | None:
    return None if value is None else value >= goal


def _le(value: float | None, goal: float) -> bool | None:
    return None if value is None else value <= goal


def versions(node: dict[str, Any]) -> dict[str, Any]:
    from importlib.metadata import PackageNotFoundError, version

    out: dict[str, Any] = {
        "python": platform.python_version(),
        "machine": f"{platform.machine()} {_cpu()} ×{os.cpu_count()}",
    }
    for pkg in ("cryptography", "joserfc", "httpx"):
        try:
            out[pkg] = version(pkg)
        except PackageNotFoundError:
            out[pkg] = None
    nv = node.get("versions", {})
    out["node"] = nv.get("node")
    out["@auth/core"] = nv.get("@auth/core")
    out["jose"] = nv.get("jose")
    return out


def _cpu() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "cpu"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="short batches (< 2 min in all)")
    parser.add_argument("--json", action="store_true", help="print the results as JSON only")
    parser.add_argument("--out", metavar="PATH", help="also write the JSON results to PATH")
    parser.add_argument("--markdown", action="store_true", help="print the table as Markdown")
    parser.add_argument(
        "--rounds",
        type=int,
        default=None,
        help="alternate the Node and Python passes this many times and keep each figure's "
        "best round (default 1 with --quick, 2 otherwise): a burst of load from another "
        "process then hits one round of one side, not the ratio",
    )
    args = parser.parse_args(argv)
    rounds = args.rounds if args.rounds is not None else (1 if args.quick else 2)
    timing = (
        Timing(min_batch_ms=40, repeats=3, warmup_ms=40, callback_ops=10, callback_warmup=3)
        if args.quick
        else Timing()
    )
    started = time.perf_counter()
    benches = []
    with ExitStack() as stack:
        mock = stack.enter_context(mock_idp())
        fx = Fixture.build()
        for i in range(rounds):
            print(f"round {i + 1}/{rounds}", file=sys.stderr, flush=True)
            benches.append(Bench(timing, args.quick, fx))
            benches[-1].run(mock)
    bench = benches[0]
    bench.rows = merge_rounds([b.rows for b in benches])
    targets = bench.targets()
    meta = versions(bench.node) | {
        "mode": "quick" if args.quick else "full",
        "repeats": timing.repeats,
        "rounds": rounds,
        "seconds": round(time.perf_counter() - started, 1),
    }
    payload = {
        "meta": meta,
        "timing": asdict(timing),
        "rows": [asdict(r) for r in bench.rows],
        "targets": [asdict(t) | {"verdict": t.verdict} for t in targets],
        "node_raw": bench.node,
    }
    text = json.dumps(payload, indent=2, ensure_ascii=False)
    if args.out:
        Path(args.out).write_text(text + "\n")
    if args.json:
        print(text)
        return 0
    print(render(bench.rows, targets, meta))
    if args.markdown:
        print()
        print(render_markdown(bench.rows, targets))
    print(f"\n(run took {meta['seconds']} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
