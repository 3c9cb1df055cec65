/** Reminder emails a few days before confirmed group visits (settings.reminderDaysBefore). */
import { and, eq, gte, inArray, isNotNull, isNull, lte } from "drizzle-orm";
import { visits } from "../../db/schema";
import { writeTransaction } from "../db.server";
import { addDays, todayInTokyo } from "../lib/dates";
import { getSettings } from "../settings.server";
import { queueVisitEmail } from "./emails.server";
import { upcomingStates } from "./lifecycle";

const UPCOMING_CONFIRMED = upcomingStates("group");

/**
 * Queue the reminder of every approved group visit due within the reminder
 * window (today … today + reminderDaysBefore) that has not had one, and mark
 * it sent in the same transaction so a restart never sends it twice.
 */
export function queueDueReminders(now: Date = new Date()): number {
  return writeTransaction((tx) => {
    const settings = getSettings(tx);
    const today = todayInTokyo(now);
    const until = addDays(today, settings.reminderDaysBefore);
    const due = tx
      .select({ id: visits.id })
      .from(visits)
      .where(
        and(
          eq(visits.kind, "group"),
          inArray(visits.status, UPCOMING_CONFIRMED),
          isNotNull(visits.requestId),
          isNull(visits.reminderSentAt),
          gte(visits.date, addDays(today, 1)),
          lte(visits.date, until),
        ),
      )
      .all();
    const nowIso = now.toISOString();
    for (const v of due) {
      queueVisitEmail(tx, "reminder", v.id);
      tx.update(visits).set({ reminderSentAt: nowIso }).where(eq(visits.id, v.id)).run();
    }
    return due.length;
  });
}

let timer: NodeJS.Timeout | undefined;

/** Check hourly in the server process (and once at start). */
export function startReminderTimer(intervalMs = 60 * 60 * 1000) {
  if (timer) return;
  const tick = () => {
    try {
      queueDueReminders();
    } catch (error) {
      console.error("reminders:", error);
    }
  };
  timer = setInterval(tick, intervalMs);
  timer.unref();
  tick();
}

export function stopReminderTimer() {
  if (timer) clearInterval(timer);
  timer = undefined;
}
