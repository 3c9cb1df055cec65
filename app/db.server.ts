import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { drizzle, type BetterSQLite3Database } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import * as schema from "../db/schema";
import { databasePath } from "./env.server";

// Configuration is read in env.server.ts; re-exported for modules that ask the database module.
export { databasePath };

export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database };
/** What a transaction callback receives; the same query API as Db. */
export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];

let current: { path: string; db: Db } | undefined;

/** Open a connection with the pragmas every connection of this app must have. */
export function openDatabase(file: string): Db {
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const sqlite = new Database(file);
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("synchronous = FULL");
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma("busy_timeout = 5000");
  keepPreparedStatements(sqlite);
  return drizzle(sqlite, { schema }) as Db;
}

/**
 * Drizzle prepares every query again each time it runs (SQLite parses and
 * plans it anew: about a tenth of the server's CPU under load). Keep the
 * prepared statements by their SQL text instead, the most recently used 500.
 * A statement handed out again is reset to plain rows (Drizzle switches it to
 * arrays with raw()), so a later caller gets what a fresh prepare gives.
 */
function keepPreparedStatements(sqlite: Database.Database, max = 500) {
  const prepare = sqlite.prepare.bind(sqlite);
  const kept = new Map<string, Database.Statement>();
  sqlite.prepare = ((source: string) => {
    let statement = kept.get(source);
    if (statement && !statement.busy) {
      kept.delete(source);
      if (statement.reader) statement.raw(false).pluck(false).expand(false);
    } else {
      statement = prepare(source);
    }
    kept.set(source, statement);
    if (kept.size > max) kept.delete(kept.keys().next().value!);
    return statement;
  }) as typeof sqlite.prepare;
}

/** The process-wide connection (better-sqlite3 is synchronous; one connection serialises writes). */
export function getDb(): Db {
  const file = databasePath();
  if (!current || current.path !== file) {
    current?.db.$client.close();
    current = { path: file, db: openDatabase(file) };
  }
  return current.db;
}

export function closeDb() {
  current?.db.$client.close();
  current = undefined;
}

export function migrationsFolder(): string {
  return process.env.MIGRATIONS_DIR ?? path.resolve(process.cwd(), "db/migrations");
}

/** Apply pending drizzle-kit migrations (idempotent). */
export function migrateDatabase(db: Db = getDb()) {
  migrate(db, { migrationsFolder: migrationsFolder() });
}

/**
 * Every write that touches more than one row goes through here: one
 * BEGIN IMMEDIATE transaction, so checks and writes cannot interleave with
 * another connection's (the car's overlap check relies on this).
 */
export function writeTransaction<T>(fn: (tx: Tx) => T, db: Db = getDb()): T {
  return db.transaction(fn, { behavior: "immediate" });
}
