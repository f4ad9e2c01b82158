// The real @auth/core 0.41.3 behind Node's http server, with its Passkey provider
// (@simplewebauthn/server) and @auth/kysely-adapter on PostgreSQL (plus the Authenticator
// methods it lacks, see stores.mjs): what a browser registers a passkey against in the
// interop tests.
//
//   node passkey_server.mjs '{"secret": "...", "database": {"dialect": "postgres", "url": "..."},
//                            "passkey": {...Passkey options}, "session": {...}}'
//
// Listens on 127.0.0.1 (a random port) and prints one line, `listening <port>`, when ready.
// `/api/auth/*` is Auth(); `/` says who is signed in (from Auth()'s own GET /session).
// Stops when stdin closes.

import http from "node:http";

import { Auth } from "@auth/core";
import Passkey from "@auth/core/providers/passkey";

import { kyselyAdapter } from "./stores.mjs";

for (const level of ["log", "info", "debug", "warn"]) {
  console[level] = (...args) => console.error(`[${level}]`, ...args);
}

const spec = JSON.parse(process.argv[2] ?? "{}");
const config = {
  secret: spec.secret,
  trustHost: true,
  basePath: "/api/auth",
  adapter: await kyselyAdapter(spec.database),
  providers: [Passkey(spec.passkey ?? {})],
  experimental: { enableWebAuthn: true },
  ...(spec.session ? { session: spec.session } : {}),
};

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

async function home(origin, cookie) {
  const res = await Auth(
    new Request(`${origin}/api/auth/session`, { headers: cookie ? { cookie } : {} }),
    config,
  );
  const session = await res.json();
  const who = session?.user
    ? `<p id=who>Signed in as <b id=user>${escapeHtml(session.user.email ?? "")}</b></p>`
    : "<p id=who>Not signed in.</p>";
  return new Response(`<!doctype html><meta charset=utf-8><title>Home</title>${who}`, {
    headers: { "content-type": "text/html; charset=utf-8" },
  });
}

async function handle(req, res) {
  const origin = `http://${req.headers.host}`;
  const url = new URL(req.url, origin);
  const body = ["GET", "HEAD"].includes(req.method) ? undefined : await readBody(req);
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    headers.set(name, Array.isArray(value) ? value.join(", ") : value);
  }
  let response;
  if (url.pathname.startsWith("/api/auth/")) {
    response = await Auth(new Request(url, { method: req.method, headers, body }), config);
  } else if (url.pathname === "/") {
    response = await home(origin, req.headers.cookie);
  } else {
    response = new Response("Not found", { status: 404 });
  }
  const out = {};
  response.headers.forEach((value, name) => {
    if (name !== "set-cookie") out[name] = value;
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length) out["set-cookie"] = cookies;
  res.writeHead(response.status, out);
  res.end(Buffer.from(await response.arrayBuffer()));
}

const server = http.createServer((req, res) => {
  handle(req, res).catch((err) => {
    console.error(err);
    res.writeHead(500, { "content-type": "text/plain" });
    res.end("server error");
  });
});

server.listen(0, "127.0.0.1", () => {
  process.stdout.write(`listening ${server.address().port}\n`);
});
process.stdin.on("end", () => process.exit(0));
process.stdin.resume();
