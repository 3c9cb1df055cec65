/**
 * The data version the page cache (app/http/page-cache.mjs) stores pages
 * under: today's date in Tokyo, and two SQLite counters of the app's
 * connection. PRAGMA data_version moves when another connection (another
 * process, a CLI, a second connection in this one) commits; total_changes()
 * counts the rows this connection has inserted, updated or deleted. Any
 * write therefore gives a new version, and a page rendered before it is
 * never served after it.
 */
import type Database from "better-sqlite3";
import { getDb } from "../db.server";
import { todayInTokyo } from "./dates";

let prepared: { client: Database.Database; connection: number; read: Database.Statement } | undefined;
let connections = 0;

export function pageCacheVersion(): string {
  const client = getDb().$client;
  if (prepared?.client !== client) {
    // A new connection starts its counters again: number the connections so versions never repeat.
    prepared = { client, connection: ++connections, read: client.prepare("select total_changes() as changes, (select data_version from pragma_data_version) as version") };
  }
  const { changes, version } = prepared.read.get() as { changes: number; version: number };
  return `${todayInTokyo()}|${prepared.connection}|${version}|${changes}`;
}
