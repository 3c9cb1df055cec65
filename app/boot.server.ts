import { sql } from "drizzle-orm";
import { users } from "../db/schema";
import { closeDb, getDb, migrateDatabase } from "./db.server";
import { env } from "./env.server";
import { startOutboxWorker, stopOutboxWorker } from "./email/outbox.server";
import { startReminderTimer, stopReminderTimer } from "./visits/reminders.server";
import { startCityDigestTimer, stopCityDigestTimer } from "./visits/digest.server";
import { startReportDueTimer, stopReportDueTimer } from "./reports/reminders.server";

let booted = false;

/** Start-up of the server process: migrations, demo data into an empty database, background work. */
export async function boot() {
  if (booted) return;
  booted = true;
  const db = getDb();
  migrateDatabase(db);
  const e = env();
  const userCount = db.select({ n: sql<number>`count(*)` }).from(users).get()?.n ?? 0;
  if (userCount === 0 && e.DEMO_DATA === "1") {
    const { loadDemoData } = await import("../db/demo/seed");
    await loadDemoData(db);
    console.log("デモデータを読み込みました（パスワード: demo-pass-2026）");
  }
  startOutboxWorker();
  startReminderTimer();
  startCityDigestTimer();
  startReportDueTimer();
}

/**
 * Stop background work for a clean exit (call once HTTP requests have drained):
 * the outbox finishes or hands back what it claimed, then the database closes.
 */
export async function shutdown() {
  stopReminderTimer();
  stopCityDigestTimer();
  stopReportDueTimer();
  await stopOutboxWorker();
  closeDb();
}
