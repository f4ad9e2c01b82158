// GET /session under the database strategy with the real @auth/core 0.41.3 and
// @auth/kysely-adapter on PostgreSQL (pg) or SQLite (better-sqlite3), for bench/db_session.py's
// side by side.
//
// Input (stdin JSON): {"url": "postgresql://..." or "sqlite": "/path/to/file.db",
//                      "token": "<session token>", "min_batch_ms": 50, "repeats": 3,
//                      "cpu": false, "cookie": "<Cookie header; default: the session cookie>"}
// Output (stdout JSON): {"ns_per_op": <median>, "samples": [...]}
// The answer is checked once (status 200 and a user in the body) before timing.

import { readFileSync } from "node:fs";

import { Auth } from "@auth/core";
import GitHub from "@auth/core/providers/github";
import { KyselyAdapter } from "@auth/kysely-adapter";
import Database from "better-sqlite3";
import { Kysely, PostgresDialect, SqliteDialect } from "kysely";
import pg from "pg";

const input = JSON.parse(readFileSync(0, "utf8"));
const dialect = input.sqlite
  ? new SqliteDialect({ database: new Database(input.sqlite, { fileMustExist: true }) })
  : new PostgresDialect({ pool: new pg.Pool({ connectionString: input.url, max: 2 }) });
const db = new Kysely({ dialect });
const config = {
  secret: "bench-db-session-secret-0123456789abcdef",
  trustHost: true,
  basePath: "/api/auth",
  providers: [GitHub({ clientId: "id", clientSecret: "secret" })],
  adapter: KyselyAdapter(db),
  session: { strategy: "database" },
  logger: { error() {}, warn() {}, debug() {} },
};
const url = "http://localhost/api/auth/session";
const headers = { cookie: input.cookie ?? `authjs.session-token=${input.token}` };

async function op() {
  const response = await Auth(new Request(url, { headers }), config);
  return response;
}

const first = await op();
const body = await first.text();
if (first.status !== 200 || !body.includes("bench@example.com")) {
  throw new Error(`unexpected answer ${first.status}: ${body.slice(0, 200)}`);
}

// "cpu": true times the process's CPU (user + system), not the wall clock: on a machine
// shared with other load that is the steadier figure (it leaves out the database server).
const clock = input.cpu
  ? () => {
      const { user, system } = process.cpuUsage();
      return BigInt(user + system) * 1000n;
    }
  : () => process.hrtime.bigint();
const minNs = input.min_batch_ms * 1e6;
let n = 1;
for (;;) {
  const t0 = clock();
  for (let i = 0; i < n; i++) await op();
  const dt = Number(clock() - t0);
  if (dt >= minNs) break;
  n = Math.max(n * 2, Math.ceil((n * minNs * 1.1) / Math.max(dt, 1)));
}
const samples = [];
for (let r = 0; r < input.repeats; r++) {
  const t0 = clock();
  for (let i = 0; i < n; i++) await op();
  samples.push(Number(clock() - t0) / n);
}
samples.sort((a, b) => a - b);
await db.destroy();
process.stdout.write(JSON.stringify({ ns_per_op: samples[samples.length >> 1], samples }));
