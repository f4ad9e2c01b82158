// Measures the real @auth/core 0.41.3 in-process, on the work bench/run.py hands it.
//
// Input: one JSON document on stdin (built by bench/run.py):
//   {"timing": {"min_batch_ms", "repeats", "warmup_ms", "callback_ops"},
//    "secret": "<string>" | ["<string>", ...], "salt": "authjs.session-token",
//    "origin": "http://localhost:3000", "base_path": "/api/auth",
//    "instagram": {"clientId", "clientSecret", "authorization", "token", "userinfo",
//                  "add_token_type": bool} | null,
//    "cases": [{"name", "kind", ...}]}
// kinds: "jwt_decode" {token, secret?}, "jwt_encode" {payload},
//        "auth" {method, path, cookie?, body?, expect_status, secret?},
//        "callback" {cookie (CSRF cookie), csrf_token}.
// Output: one JSON document on stdout: {"versions": {...}, "results": {name: {...}}}.
// Every Auth() answer is checked once (status, and for sessions a non-null body) before timing,
// so a misconfigured case fails loudly instead of benchmarking an error page.

import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { Auth, customFetch } from "@auth/core";
import { decode, encode } from "@auth/core/jwt";
import Instagram from "@auth/core/providers/instagram";

for (const level of ["log", "info", "debug", "warn"]) {
  console[level] = (...args) => console.error(`[${level}]`, ...args);
}

const here = path.dirname(fileURLToPath(import.meta.url));
const quietLogger = { error() {}, warn() {}, debug() {} };

function version(pkg) {
  const file = path.join(here, "node_modules", ...pkg.split("/"), "package.json");
  return JSON.parse(readFileSync(file, "utf8")).version;
}

function median(values) {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

// Batch timing: grow the batch until it lasts min_batch_ms, then take `repeats` batches and
// report the median ns/op. `op` is async (every @auth/core entry point is).
async function measure(op, timing) {
  const minNs = timing.min_batch_ms * 1e6;
  const warmEnd = process.hrtime.bigint() + BigInt(Math.round(timing.warmup_ms * 1e6));
  while (process.hrtime.bigint() < warmEnd) await op();
  let n = 1;
  for (;;) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < n; i++) await op();
    const dt = Number(process.hrtime.bigint() - t0);
    if (dt >= minNs || n >= 1 << 20) break;
    n = Math.min(1 << 20, Math.max(n * 2, Math.ceil((n * minNs * 1.1) / Math.max(dt, 1))));
  }
  const samples = [];
  for (let r = 0; r < timing.repeats; r++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < n; i++) await op();
    samples.push(Number(process.hrtime.bigint() - t0) / n);
  }
  return { ns_per_op: median(samples), samples_ns: samples, batch: n };
}

function makeConfig(spec, secret) {
  const providers = [];
  if (spec.instagram) {
    const ig = spec.instagram;
    const options = {
      clientId: ig.clientId,
      clientSecret: ig.clientSecret,
      authorization: ig.authorization,
      token: ig.token,
      userinfo: ig.userinfo,
    };
    if (ig.add_token_type) {
      // The community workaround for Instagram's token response without token_type
      // (docs/differences.md row 17, next-auth#8867): without it the stock provider cannot finish a callback.
      options[customFetch] = async (...args) => {
        const res = await fetch(...args);
        const url = args[0] instanceof Request ? args[0].url : String(args[0]);
        if (url !== ig.token || !res.ok) return res;
        const body = await res.json();
        body.token_type ??= "bearer";
        return Response.json(body, { status: res.status, headers: res.headers });
      };
    }
    providers.push(Instagram(options));
  }
  return {
    providers,
    secret,
    trustHost: true,
    basePath: spec.base_path,
    logger: quietLogger,
  };
}

function makeRequest(spec, c) {
  const headers = new Headers();
  if (c.cookie) headers.set("cookie", c.cookie);
  let body;
  if (c.body !== undefined && c.body !== null) {
    headers.set("content-type", "application/x-www-form-urlencoded");
    body = c.body;
  }
  return new Request(`${spec.origin}${spec.base_path}${c.path}`, {
    method: c.method ?? "GET",
    headers,
    body,
  });
}

async function check(response, c) {
  if (response.status !== c.expect_status) {
    const text = await response.text();
    throw new Error(`${c.name}: status ${response.status}, expected ${c.expect_status}: ${text.slice(0, 300)} ${response.headers.get("location") ?? ""}`);
  }
  if (c.expect_session) {
    const body = await response.json();
    if (!body || !body.user) throw new Error(`${c.name}: no session in ${JSON.stringify(body)}`);
  }
}

function cookiePairs(response) {
  const out = new Map();
  for (const line of response.headers.getSetCookie()) {
    const [pair] = line.split(";");
    const eq = pair.indexOf("=");
    out.set(pair.slice(0, eq), pair.slice(eq + 1));
  }
  return out;
}

// One sign-in round, untimed: POST /signin/instagram, then the mock IdP's authorize URL
// (which answers a 302 to our callback with ?code=). Returns the callback Request pieces.
async function prepareCallback(spec, config, c) {
  const signin = await Auth(
    makeRequest(spec, {
      method: "POST",
      path: "/signin/instagram",
      cookie: c.cookie,
      body: `csrfToken=${c.csrf_token}&callbackUrl=${encodeURIComponent(spec.origin + "/")}`,
    }),
    config,
  );
  const location = signin.headers.get("location");
  if (signin.status !== 302 || !location) throw new Error(`signin: status ${signin.status}`);
  const cookies = cookiePairs(signin);
  const authorize = await fetch(location, { redirect: "manual" });
  const back = authorize.headers.get("location");
  await authorize.arrayBuffer();
  if (!back || !back.includes("code=")) throw new Error(`authorize: status ${authorize.status} ${back}`);
  const query = new URL(back).search;
  const cookieHeader = [c.cookie, ...[...cookies].map(([k, v]) => `${k}=${v}`)].join("; ");
  return { query, cookieHeader };
}

async function runCallback(spec, c, timing) {
  const config = makeConfig(spec, spec.secret);
  const timeOne = async () => {
    const { query, cookieHeader } = await prepareCallback(spec, config, c);
    const req = makeRequest(spec, { path: `/callback/instagram${query}`, cookie: cookieHeader });
    const t0 = process.hrtime.bigint();
    const res = await Auth(req, config);
    const dt = Number(process.hrtime.bigint() - t0);
    const sessionSet = res.headers.getSetCookie().some((s) => s.startsWith("authjs.session-token="));
    if (res.status !== 302 || !sessionSet) {
      throw new Error(`callback: status ${res.status} -> ${res.headers.get("location")}`);
    }
    return dt;
  };
  for (let i = 0; i < timing.callback_warmup; i++) await timeOne();
  const samples = [];
  for (let r = 0; r < timing.repeats; r++) {
    let total = 0;
    for (let i = 0; i < timing.callback_ops; i++) total += await timeOne();
    samples.push(total / timing.callback_ops);
  }
  return { ns_per_op: median(samples), samples_ns: samples, batch: timing.callback_ops };
}

// Sign-ins per second with `concurrency` callbacks in flight at once (Promise.all); the
// sign-in rounds that mint their codes are prepared first, untimed.
async function runConcurrent(spec, c, timing) {
  const config = makeConfig(spec, spec.secret);
  const batch = async () => {
    const prepared = [];
    for (let i = 0; i < c.concurrency; i++) prepared.push(await prepareCallback(spec, config, c));
    const requests = prepared.map(({ query, cookieHeader }) =>
      makeRequest(spec, { path: `/callback/instagram${query}`, cookie: cookieHeader }),
    );
    const t0 = process.hrtime.bigint();
    const responses = await Promise.all(requests.map((r) => Auth(r, config)));
    const dt = Number(process.hrtime.bigint() - t0);
    const bad = responses.filter((r) => r.status !== 302 || !r.headers.getSetCookie().some((s) => s.startsWith("authjs.session-token=")));
    if (bad.length) throw new Error(`concurrent callbacks: ${bad.length} failed (${bad[0].status} ${bad[0].headers.get("location")})`);
    return c.concurrency / (dt / 1e9);
  };
  await batch();
  const samples = [];
  for (let r = 0; r < Math.max(3, timing.repeats); r++) samples.push(await batch());
  return { ops_per_s: median(samples), samples_ops_per_s: samples, batch: c.concurrency };
}

async function runCase(spec, c, timing) {
  const secret = c.secret ?? spec.secret;
  switch (c.kind) {
    case "jwt_decode": {
      const params = { token: c.token, secret, salt: spec.salt };
      const payload = await decode(params);
      if (!payload || typeof payload !== "object") throw new Error(`${c.name}: decode gave ${payload}`);
      return measure(() => decode(params), timing);
    }
    case "jwt_encode": {
      const params = { token: c.payload, secret, salt: spec.salt };
      return measure(() => encode(params), timing);
    }
    case "auth": {
      const config = makeConfig(spec, secret);
      await check(await Auth(makeRequest(spec, c), config), c);
      return measure(() => Auth(makeRequest(spec, c), config), timing);
    }
    case "callback":
      return runCallback(spec, c, timing);
    case "callback_concurrent":
      return runConcurrent(spec, c, timing);
    default:
      throw new Error(`unknown case kind ${c.kind}`);
  }
}

async function main() {
  const spec = JSON.parse(readFileSync(0, "utf8"));
  const results = {};
  for (const c of spec.cases) {
    try {
      results[c.name] = await runCase(spec, c, spec.timing);
    } catch (err) {
      results[c.name] = { error: String(err?.message ?? err) };
    }
  }
  const versions = { "@auth/core": version("@auth/core"), jose: version("jose"), node: process.version };
  process.stdout.write(JSON.stringify({ versions, results }));
}

await main();
