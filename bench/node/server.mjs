// @auth/core 0.41.3 on Node's own `http` server, for `bench/run --server`: the thing every
// @auth/core framework integration wraps (a Web `Request` in, a Web `Response` out).
//
// Input: one JSON document in the AUTHCORE_BENCH_SPEC environment variable (built by
// bench/server.py): {"secret", "base_path", "port", "workers", "bare_json",
//                    "instagram": {"clientId", "clientSecret", "authorization", "token",
//                                  "userinfo"} | null}.
// The mock IdP answers the code exchange with `token_type` (bench/_mock_proc.py), so the stock
// provider needs no workaround here.
// `/bare` answers `bare_json` directly: the floor of this server.
// With "mint": {"payload", "salt"} it prints one session token minted by @auth/core and exits.

import cluster from "node:cluster";
import http from "node:http";

import { Auth } from "@auth/core";
import { encode } from "@auth/core/jwt";
import Instagram from "@auth/core/providers/instagram";

const spec = JSON.parse(process.env.AUTHCORE_BENCH_SPEC);
const quietLogger = { error() {}, warn() {}, debug() {} };

if (spec.mint) {
  const token = await encode({ token: spec.mint.payload, secret: spec.secret, salt: spec.mint.salt });
  process.stdout.write(token + "\n");
  process.exit(0);
}

function config() {
  const providers = [];
  const ig = spec.instagram;
  if (ig) {
    providers.push(
      Instagram({
        clientId: ig.clientId,
        clientSecret: ig.clientSecret,
        authorization: ig.authorization,
        token: ig.token,
        userinfo: ig.userinfo,
      }),
    );
  }
  return { providers, secret: spec.secret, trustHost: true, basePath: spec.base_path, logger: quietLogger };
}

function serve() {
  const cfg = config();
  const bare = Buffer.from(spec.bare_json);
  const server = http.createServer(async (req, res) => {
    try {
      if (req.url === "/bare") {
        res.writeHead(200, { "content-type": "application/json", "content-length": bare.length });
        res.end(bare);
        return;
      }
      const chunks = [];
      for await (const chunk of req) chunks.push(chunk);
      const headers = new Headers();
      for (let i = 0; i < req.rawHeaders.length; i += 2) headers.append(req.rawHeaders[i], req.rawHeaders[i + 1]);
      const body = chunks.length && req.method !== "GET" && req.method !== "HEAD" ? Buffer.concat(chunks) : undefined;
      const request = new Request(`http://${req.headers.host}${req.url}`, { method: req.method, headers, body });
      const response = await Auth(request, cfg);
      const out = {};
      for (const [name, value] of response.headers) if (name !== "set-cookie") out[name] = value;
      const cookies = response.headers.getSetCookie();
      if (cookies.length) out["set-cookie"] = cookies;
      const payload = Buffer.from(await response.arrayBuffer());
      out["content-length"] = payload.length;
      res.writeHead(response.status, out);
      res.end(payload);
    } catch (error) {
      res.writeHead(500);
      res.end(String(error));
    }
  });
  server.keepAliveTimeout = 65000;
  server.listen(spec.port, "127.0.0.1");
}

if (spec.workers > 1 && cluster.isPrimary) {
  for (let i = 0; i < spec.workers; i++) cluster.fork();
} else {
  serve();
}
