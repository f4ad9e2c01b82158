// Auth.js's Kysely adapter (@auth/kysely-adapter) on PostgreSQL (pg) or SQLite (better-sqlite3),
// for the tests that share a database between authcore and Auth.js. One Kysely instance per
// database spec, kept until "kysely.close".
//
//   {"cmd": "kysely.call", "params": {"database": {"dialect": "postgres", "url": "..."},
//                                     "method": "getSessionAndUser", "args": [...]}}
//   (or "database": {"dialect": "sqlite", "path": "/tmp/.../authcore.db"})
//   -> {"result": <what the adapter returned; Dates as ISO strings>}
//
// In the arguments, string values under "expires" and "emailVerified" become Dates, as the
// adapter's callers (the Auth.js core) pass them.

import { KyselyAdapter } from "@auth/kysely-adapter";
import Database from "better-sqlite3";
import { Kysely, PostgresDialect, SqliteDialect } from "kysely";
import pg from "pg";

const databases = new Map();
const DATE_KEYS = new Set(["expires", "emailVerified"]);

async function database(spec) {
  const key = JSON.stringify(spec);
  if (!databases.has(key)) {
    if (spec.dialect === "postgres") {
      const pool = new pg.Pool({ connectionString: spec.url, max: 2 });
      databases.set(key, new Kysely({ dialect: new PostgresDialect({ pool }) }));
    } else if (spec.dialect === "sqlite") {
      const db = new Database(spec.path, { fileMustExist: true, timeout: 10000 });
      db.pragma("foreign_keys = ON");
      databases.set(key, new Kysely({ dialect: new SqliteDialect({ database: db }) }));
    } else {
      throw new TypeError(`unknown dialect ${JSON.stringify(spec.dialect)}`);
    }
  }
  return databases.get(key);
}

// @auth/kysely-adapter 1.11.2 has no WebAuthn methods. These are the ones Auth.js's Prisma
// adapter has (packages/adapter-prisma/src/index.ts), written in Kysely on the same
// `Authenticator` and `Account` tables, so a passkey flow of @auth/core runs on this database.
function withWebAuthn(db, adapter) {
  return {
    ...adapter,
    async getAccount(providerAccountId, provider) {
      const row = await db
        .selectFrom("Account")
        .selectAll()
        .where("providerAccountId", "=", providerAccountId)
        .where("provider", "=", provider)
        .executeTakeFirst();
      return row ?? null;
    },
    async createAuthenticator(authenticator) {
      await db.insertInto("Authenticator").values(authenticator).execute();
      return authenticator;
    },
    async getAuthenticator(credentialID) {
      const row = await db
        .selectFrom("Authenticator")
        .selectAll()
        .where("credentialID", "=", credentialID)
        .executeTakeFirst();
      return row ?? null;
    },
    async listAuthenticatorsByUserId(userId) {
      return db.selectFrom("Authenticator").selectAll().where("userId", "=", userId).execute();
    },
    async updateAuthenticatorCounter(credentialID, counter) {
      return db
        .updateTable("Authenticator")
        .set({ counter })
        .where("credentialID", "=", credentialID)
        .returningAll()
        .executeTakeFirstOrThrow();
    },
  };
}

export async function kyselyAdapter(spec) {
  const db = await database(spec);
  return withWebAuthn(db, KyselyAdapter(db));
}

function revive(value) {
  if (Array.isArray(value)) return value.map(revive);
  if (value === null || typeof value !== "object") return value;
  const out = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] = DATE_KEYS.has(k) && typeof v === "string" ? new Date(v) : revive(v);
  }
  return out;
}

async function cmdKyselyCall(p) {
  const adapter = await kyselyAdapter(p.database);
  const method = adapter[p.method];
  if (typeof method !== "function") throw new TypeError(`no adapter method ${p.method}`);
  const result = await method(...(p.args ?? []).map(revive));
  return { result: result ?? null };
}

async function cmdKyselyClose() {
  for (const db of databases.values()) await db.destroy();
  databases.clear();
  return { closed: true };
}

export const STORE_COMMANDS = {
  "kysely.call": cmdKyselyCall,
  "kysely.close": cmdKyselyClose,
};
