// Interop worker: drives the real @auth/core 0.41.3 and next-auth v4 for authcore's tests.
//
// Protocol (JSON lines): one request per stdin line, one response per stdout line, in order.
//   request:  {"id": <int>, "cmd": "<name>", "params": {...}}
//   response: {"id": <int>, ...result}          on success
//             {"id": <int>, "error": "<Name>: <message>", "code"?: "<jose code>"}  on failure
// Nothing else is ever written to stdout: console.log/info/debug are sent to stderr so library
// logging cannot corrupt the protocol. A failing command never ends the process; it exits when
// stdin closes. Commands and their shapes are documented in docs/interop.md.

import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath, pathToFileURL } from "node:url";

import { Auth } from "@auth/core";
import { decode as v5decode, encode as v5encode, getToken as v5getToken } from "@auth/core/jwt";
import Credentials from "@auth/core/providers/credentials";
import Instagram from "@auth/core/providers/instagram";

import { STORE_COMMANDS, kyselyAdapter } from "./stores.mjs";

for (const level of ["log", "info", "debug"]) {
  console[level] = (...args) => console.error(`[${level}]`, ...args);
}

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

// next-auth v4 is CommonJS. Its `exports` map hides `core/lib/cookie` and `next/utils`, so they
// are required by absolute file path (which bypasses `exports`): we use v4's own SessionStore
// and its own copy of the `cookie` serializer rather than a re-implementation.
const v4jwt = require("next-auth/jwt");
const v4root = path.resolve(path.dirname(require.resolve("next-auth/jwt")), "..");
const v4cookieLib = require(path.join(v4root, "core", "lib", "cookie.js"));
const v4require = createRequire(path.join(v4root, "package.json"));
const v4cookie = v4require("cookie");
const v4utils = require(path.join(v4root, "next", "utils.js"));

function readVersion(pkgJsonPath) {
  return JSON.parse(readFileSync(pkgJsonPath, "utf8")).version;
}

// Version of the package `name` that `req` resolves to: walk up from its entry point.
function resolvedVersion(req, name) {
  let dir = path.dirname(req.resolve(name));
  for (;;) {
    const candidate = path.join(dir, "package.json");
    if (existsSync(candidate) && JSON.parse(readFileSync(candidate, "utf8")).name === name) {
      return readVersion(candidate);
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`package.json of ${name} not found`);
    dir = parent;
  }
}

function versions() {
  const nm = path.join(here, "node_modules");
  // the store packages (stores.mjs), the passkey verifier and the browser script Auth.js's
  // sign-in page loads (passkey_server.mjs), as installed next to this file
  const stores = {};
  for (const name of [
    "@auth/kysely-adapter",
    "@simplewebauthn/browser",
    "@simplewebauthn/server",
    "better-sqlite3",
    "kysely",
    "pg",
  ]) {
    const pkg = path.join(nm, ...name.split("/"), "package.json");
    if (existsSync(pkg)) stores[name] = readVersion(pkg);
  }
  return {
    ...stores,
    "@auth/core": readVersion(path.join(nm, "@auth", "core", "package.json")),
    "next-auth": readVersion(path.join(v4root, "package.json")),
    jose: readVersion(path.join(nm, "jose", "package.json")),
    "next-auth/jose": resolvedVersion(v4require, "jose"),
    node: process.version,
  };
}

function errorText(err) {
  if (err instanceof Error) return `${err.name}: ${err.message}`;
  return `Error: ${String(err)}`;
}

function errorResult(err) {
  const out = { error: errorText(err) };
  if (err && typeof err === "object" && typeof err.code === "string") out.code = err.code;
  if (err && typeof err === "object" && typeof err.type === "string") out.type = err.type;
  return out;
}

function required(params, name) {
  if (params[name] === undefined) throw new TypeError(`missing parameter "${name}"`);
  return params[name];
}

// ---------------------------------------------------------------------------------------------
// @auth/core (v5)

async function cmdV5Encode(p) {
  const jwe = await v5encode({
    token: p.token ?? {},
    secret: required(p, "secret"),
    salt: required(p, "salt"),
    ...(p.maxAge !== undefined ? { maxAge: p.maxAge } : {}),
  });
  return { jwe };
}

async function cmdV5Decode(p) {
  try {
    const payload = await v5decode({ token: p.token, secret: required(p, "secret"), salt: required(p, "salt") });
    return { payload };
  } catch (err) {
    return errorResult(err);
  }
}

async function cmdV5GetToken(p) {
  const logs = [];
  const req = new Request(p.url ?? "http://localhost/", { headers: p.headers ?? {} });
  const payload = await v5getToken({
    req,
    secret: p.secret,
    secureCookie: p.secureCookie ?? false,
    ...(p.cookieName !== undefined ? { cookieName: p.cookieName } : {}),
    ...(p.salt !== undefined ? { salt: p.salt } : {}),
    ...(p.raw ? { raw: true } : {}),
    logger: collectingLogger(logs),
  });
  return { payload: payload ?? null, logs };
}

function collectingLogger(logs) {
  return {
    error(error) {
      logs.push({ level: "error", name: error?.name ?? "Error", type: error?.type, message: String(error?.message ?? error) });
    },
    warn(code) {
      logs.push({ level: "warn", code });
    },
    debug(message) {
      logs.push({ level: "debug", message: String(message) });
    },
  };
}

const FIXED_USER = { id: "1", name: "Bob", email: "bob@x.com" };

// Links an email provider was asked to send, in order; `v5.sentLinks` hands them over.
const sentLinks = [];

function buildProvider(spec) {
  const { type, ...rest } = spec;
  switch (type) {
    case "email":
      // Auth.js's email flow with the mail replaced by a recorder of the link.
      return {
        id: "nodemailer",
        name: "Email",
        type: "email",
        maxAge: 86400,
        ...rest,
        sendVerificationRequest: async ({ url }) => {
          sentLinks.push(url);
        },
      };
    case "credentials":
      return Credentials({
        credentials: { username: { label: "Username" }, password: { label: "Password", type: "password" } },
        ...rest,
        authorize: async (credentials) => (credentials?.password === "pw" ? { ...FIXED_USER } : null),
      });
    case "instagram":
      // Everything but `type` becomes the user options merged over the provider defaults
      // (clientId, clientSecret, authorization/token/userinfo overrides, checks, ...).
      return Instagram(rest);
    case "oauth":
    case "oidc":
      return { ...spec };
    default:
      throw new TypeError(`unknown provider type ${JSON.stringify(type)}`);
  }
}

// `{"type": "catalog", "file": "<providers/*.js name>", ...options}`: that @auth/core provider.
async function loadProvider(spec) {
  if (spec.type !== "catalog") return buildProvider(spec);
  const { type, file, ...options } = spec;
  if (typeof file !== "string" || !PROVIDER_ID.test(file)) throw new TypeError(`bad provider file ${JSON.stringify(file)}`);
  return (await import(`@auth/core/providers/${file}`)).default(options);
}

function buildBody(method, headers, body) {
  if (body === undefined || body === null || method === "GET") return undefined;
  if (typeof body === "string") return body;
  const ct = headers.get("content-type") ?? "";
  if (ct.includes("application/json")) return JSON.stringify(body);
  if (!ct) headers.set("content-type", "application/x-www-form-urlencoded");
  return new URLSearchParams(body).toString();
}

async function cmdV5Auth(p) {
  const method = (p.method ?? "GET").toUpperCase();
  const headers = new Headers(p.headers ?? {});
  const body = buildBody(method, headers, p.body);
  const request = new Request(required(p, "url"), { method, headers, body });
  const logs = [];
  const { providers = [], adapter, ...config } = required(p, "config");
  const response = await Auth(request, {
    ...config,
    ...(adapter ? { adapter: await kyselyAdapter(adapter) } : {}),
    providers: await Promise.all(providers.map(loadProvider)),
    logger: collectingLogger(logs),
  });
  const outHeaders = [];
  for (const [k, v] of response.headers) {
    if (k.toLowerCase() !== "set-cookie") outHeaders.push([k, v]);
  }
  for (const c of response.headers.getSetCookie()) outHeaders.push(["set-cookie", c]);
  const text = await response.text();
  const out = { status: response.status, headers: outHeaders, body: text, logs };
  if ((response.headers.get("content-type") ?? "").includes("application/json")) {
    try {
      out.json = JSON.parse(text);
    } catch {
      // leave `json` absent: the body is reported verbatim anyway
    }
  }
  return out;
}

// A provider of @auth/core/providers/<id>.js, normalised by Auth.js's own parseProviders (the
// internal module is loaded by file path: the package's `exports` map hides it).

const PROVIDER_ID = /^[a-z0-9][a-z0-9-]*$/;
let parseProviders;

function endpointShape(e) {
  if (!e) return null;
  const url = e.url ? new URL(e.url) : null;
  const params = url ? Object.fromEntries(url.searchParams) : {};
  if (url) url.search = "";
  // normalizeEndpoint's stand-in when only params are given (discovery fills the URL in)
  const placeholder = url?.href === "https://authjs.dev/";
  return {
    url: url && !placeholder ? url.href : null,
    params,
    request: typeof e.request === "function",
    conform: typeof e.conform === "function",
  };
}

async function cmdProvider(p) {
  const id = required(p, "id");
  if (typeof id !== "string" || !PROVIDER_ID.test(id)) throw new TypeError(`bad provider id ${JSON.stringify(id)}`);
  parseProviders ??= (await import(pathToFileURL(path.join(here, "node_modules", "@auth", "core", "lib", "utils", "providers.js")).href)).default;
  const factory = (await import(`@auth/core/providers/${id}`)).default;
  const raw = factory({ clientId: "client-id", clientSecret: "client-secret", ...(p.options ?? {}) });
  const { provider } = parseProviders({
    url: new URL("http://localhost:3000/api/auth"),
    providerId: raw.options?.id ?? raw.id,
    config: { basePath: "/api/auth", providers: [raw] },
  });
  const out = {
    export: factory.name,
    providerId: provider.id,
    name: provider.name,
    type: provider.type,
    issuer: provider.issuer ?? null,
    authorization: endpointShape(provider.authorization),
    token: endpointShape(provider.token),
    userinfo: endpointShape(provider.userinfo),
    checks: provider.checks,
    client: provider.client ?? {},
    idToken: provider.idToken ?? null,
    rawScope: raw.authorization?.params?.scope ?? (typeof raw.authorization === "string" ? new URL(raw.authorization).searchParams.get("scope") : null),
  };
  if (p.profile !== undefined) {
    // profile() runs offline: a request it makes (Entra ID's Graph photo) is answered 404 and
    // recorded, so the outcome does not depend on the network.
    const realFetch = globalThis.fetch;
    out.profileRequests = [];
    globalThis.fetch = async (input) => {
      out.profileRequests.push(String(input instanceof Request ? input.url : input));
      return new Response("offline", { status: 404 });
    };
    try {
      out.user = (await provider.profile(structuredClone(p.profile), structuredClone(p.tokens ?? {}))) ?? null;
    } catch (err) {
      out.profileError = errorText(err);
    } finally {
      globalThis.fetch = realFetch;
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// next-auth v4

async function cmdV4Encode(p) {
  const jwe = await v4jwt.encode({
    token: p.token ?? {},
    secret: required(p, "secret"),
    ...(p.maxAge !== undefined ? { maxAge: p.maxAge } : {}),
    ...(p.salt !== undefined ? { salt: p.salt } : {}),
  });
  return { jwe };
}

async function cmdV4Decode(p) {
  try {
    const payload = await v4jwt.decode({
      token: p.token,
      secret: required(p, "secret"),
      ...(p.salt !== undefined ? { salt: p.salt } : {}),
    });
    return { payload };
  } catch (err) {
    return errorResult(err);
  }
}

function headersObject(h) {
  // Node's IncomingMessage-style headers: lower-cased names, plain object.
  const out = {};
  for (const [k, v] of new Headers(h ?? {})) out[k] = v;
  return out;
}

async function cmdV4GetToken(p) {
  const headers = headersObject(p.headers);
  // What Next.js API routes give v4: `req.cookies` parsed from the Cookie header, as an object.
  const cookies = v4cookie.parse(headers.cookie ?? "");
  const logs = [];
  const payload = await v4jwt.getToken({
    req: { headers, cookies },
    secret: p.secret,
    secureCookie: p.secureCookie ?? false,
    ...(p.cookieName !== undefined ? { cookieName: p.cookieName } : {}),
    ...(p.raw ? { raw: true } : {}),
    logger: collectingLogger(logs),
  });
  return { payload: payload ?? null, logs };
}

async function cmdV4ChunkedCookies(p) {
  const secure = p.secure ?? false;
  const maxAge = p.maxAge ?? 30 * 24 * 60 * 60;
  const jwe = p.jwe ?? (await v4jwt.encode({ token: p.token ?? {}, secret: required(p, "secret"), maxAge }));
  const sessionToken = v4cookieLib.defaultCookies(secure).sessionToken;
  const logs = [];
  const requestCookies = v4cookie.parse(p.requestCookie ?? "");
  const store = new v4cookieLib.SessionStore(sessionToken, { cookies: requestCookies, headers: {} }, collectingLogger(logs));
  // As v4's session/callback routes do: chunk(newToken, {expires: now + session.maxAge}).
  const cookies = store.chunk(jwe, { expires: new Date(Date.now() + maxAge * 1000) });
  // As v4's Next.js API-route handler writes them (next/utils.js setCookie).
  const res = {
    h: undefined,
    getHeader() {
      return this.h;
    },
    setHeader(_name, value) {
      this.h = value;
    },
  };
  for (const c of cookies) v4utils.setCookie(res, c);
  const live = cookies.filter((c) => c.value !== "");
  return {
    jwe,
    cookies: cookies.map((c) => ({
      name: c.name,
      value: c.value,
      options: { ...c.options, ...(c.options.expires ? { expires: c.options.expires.toISOString() } : {}) },
    })),
    setCookie: res.h ?? [],
    cookieHeader: live.map((c) => `${c.name}=${c.value}`).join("; "),
    logs,
  };
}

// ---------------------------------------------------------------------------------------------

const COMMANDS = {
  ping: async () => ({ pong: true }),
  versions: async () => versions(),
  "v5.encode": cmdV5Encode,
  "v5.decode": cmdV5Decode,
  "v5.getToken": cmdV5GetToken,
  "v5.auth": cmdV5Auth,
  "v5.provider": cmdProvider,
  "v5.sentLinks": async () => ({ links: sentLinks.splice(0) }),
  "v4.encode": cmdV4Encode,
  "v4.decode": cmdV4Decode,
  "v4.getToken": cmdV4GetToken,
  "v4.chunkedCookies": cmdV4ChunkedCookies,
  ...STORE_COMMANDS,
};

async function handle(line) {
  let id = null;
  try {
    const req = JSON.parse(line);
    id = req.id ?? null;
    const fn = COMMANDS[req.cmd];
    if (!fn) return { id, error: `UnknownCommand: ${JSON.stringify(req.cmd)}` };
    return { id, ...(await fn(req.params ?? {})) };
  } catch (err) {
    return { id, ...errorResult(err) };
  }
}

function send(obj) {
  let text;
  try {
    text = JSON.stringify(obj);
  } catch (err) {
    text = JSON.stringify({ id: obj.id ?? null, error: `SerializationError: ${errorText(err)}` });
  }
  process.stdout.write(`${text}\n`);
}

process.on("uncaughtException", (err) => console.error("uncaughtException", err));
process.on("unhandledRejection", (err) => console.error("unhandledRejection", err));

// Requests are handled strictly one after another, so responses come back in request order.
let queue = Promise.resolve();
const rl = createInterface({ input: process.stdin, crlfDelay: Infinity });
rl.on("line", (line) => {
  if (!line.trim()) return;
  queue = queue.then(async () => send(await handle(line)));
});
rl.on("close", () => {
  // Flush stdout before leaving; lingering keep-alive sockets must not keep the worker alive.
  queue.then(() => process.stdout.write("", () => process.exit(0)));
});
