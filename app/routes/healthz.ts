import { sql } from "drizzle-orm";
import { getDb } from "~/db.server";

/** 200 ok when the database answers (CONTRACT.md). */
export async function loader() {
  try {
    getDb().get(sql`select 1`);
    return new Response("ok", { status: 200, headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" } });
  } catch {
    return new Response("database unavailable", { status: 503, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  }
}
