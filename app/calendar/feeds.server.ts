/**
 * .ics subscriptions: each staff member's and city official's secret feed
 * (users.calendarToken, 256 random bits, revoked by regenerating) and the
 * public schedule feed.
 */
import crypto from "node:crypto";
import { and, eq, inArray } from "drizzle-orm";
import { users, visits, type Role } from "../../db/schema";
import { audit } from "../audit.server";
import { getDb, writeTransaction } from "../db.server";
import { env } from "../env.server";
import { addDays, todayInTokyo } from "../lib/dates";
import { VISIT_KIND_LABELS, VISIT_MODE_LABELS, VISIT_STATUS_LABELS } from "../lib/labels";
import { whatToBringLine } from "../lib/what-to-bring";
import { can } from "../permissions";
import { INACTIVE_STATES, isConfirmed } from "../visits/lifecycle";
import { listFeedEvents } from "./feed.server";
import { buildIcs, icsUid, type IcsEvent } from "../lib/ics.server";
import { listPublicSessions, mapLink } from "./public-schedule.server";

function newToken(): string {
  return crypto.randomBytes(32).toString("base64url");
}

/** The user's feed token, created on first use. */
export function ensureCalendarToken(userId: number): string {
  const db = getDb();
  const row = db.select({ token: users.calendarToken }).from(users).where(eq(users.id, userId)).get();
  if (row?.token) return row.token;
  const token = newToken();
  db.update(users).set({ calendarToken: token }).where(eq(users.id, userId)).run();
  return token;
}

/** Replace the token: the old URL stops working at once. */
export function regenerateCalendarToken(userId: number): string {
  const token = newToken();
  writeTransaction((tx) => {
    tx.update(users).set({ calendarToken: token, updatedAt: new Date().toISOString() }).where(eq(users.id, userId)).run();
    audit({ userId, action: "calendar.token_regenerated", entity: "user", entityId: userId }, tx);
  });
  return token;
}

export function userFeedUrl(token: string): string {
  return `${env().APP_URL}/feeds/user/${token}.ics`;
}

/** The active user a feed token belongs to, if they may still see the calendar. */
export function userForCalendarToken(token: string) {
  if (!/^[A-Za-z0-9_-]{40,}$/.test(token)) return null;
  const user = getDb()
    .select({ id: users.id, role: users.role, name: users.name })
    .from(users)
    .where(and(eq(users.calendarToken, token), eq(users.active, true)))
    .get();
  if (!user || !can(user.role, "calendar.view")) return null;
  return user;
}

/** Each visit's version and last change (SEQUENCE and LAST-MODIFIED of its event). */
function visitStamps(ids: number[]): Map<number, { version: number; updatedAt: string }> {
  const stamps = new Map<number, { version: number; updatedAt: string }>();
  // Chunked: SQLite limits the number of bound parameters.
  for (let i = 0; i < ids.length; i += 500) {
    const rows = getDb()
      .select({ id: visits.id, version: visits.version, updatedAt: visits.updatedAt })
      .from(visits)
      .where(inArray(visits.id, ids.slice(i, i + 500)))
      .all();
    for (const r of rows) stamps.set(r.id, { version: r.version, updatedAt: r.updatedAt });
  }
  return stamps;
}

/** Everything the user can see on the calendar, from 60 days back to about a year ahead; each event links to its page for this role. */
export function userIcs(userName: string, today = todayInTokyo(), role?: Role): string {
  const events = listFeedEvents({ start: `${addDays(today, -60)}T00:00`, end: `${addDays(today, 400)}T00:00` }, { includeInactive: true, today, viewerRole: role });
  const base = env().APP_URL;
  const stamps = visitStamps(events.map((e) => e.extendedProps.visitId));
  const ics: IcsEvent[] = events.map((e) => {
    const p = e.extendedProps;
    const inactive = INACTIVE_STATES.includes(p.status);
    return {
      uid: icsUid("visit", p.visitId),
      sequence: p.version,
      lastModified: stamps.get(p.visitId)?.updatedAt,
      title: `${e.title}${inactive ? `（${p.statusLabel}）` : ""}`,
      startsAt: e.start.slice(0, 16),
      endsAt: e.end.slice(0, 16),
      location: [p.venue, p.address].filter(Boolean).join(" ") || null,
      description: [`${p.kindLabel}・${p.modeLabel}`, `状態: ${VISIT_STATUS_LABELS[p.status]}`].join("\n"),
      url: `${base}${e.url ?? "/calendar"}`,
      status: inactive ? "CANCELLED" : !isConfirmed(p.status) ? "TENTATIVE" : "CONFIRMED",
    };
  });
  return buildIcs(ics, `出張申請窓口（${userName}）`);
}

/** The residents' feed: agreed roaming and base-facility sessions only. */
export function publicIcs(today = todayInTokyo()): string {
  const base = env().APP_URL;
  const sessions = listPublicSessions({ from: today, limit: 1000 });
  const stamps = visitStamps(sessions.map((s) => s.id));
  return buildIcs(
    sessions.map((s) => ({
      uid: icsUid("session", s.id),
      sequence: stamps.get(s.id)?.version,
      lastModified: stamps.get(s.id)?.updatedAt,
      title: `マイナンバーカード出張申請窓口（${VISIT_KIND_LABELS[s.kind]}） ${s.venueName}`,
      startsAt: s.startsAt,
      endsAt: s.endsAt,
      location: [s.venueName, s.address].filter(Boolean).join(" "),
      description: [VISIT_MODE_LABELS[s.mode], whatToBringLine(s.mode), s.address ? `地図: ${mapLink(s.address)}` : ""].filter(Boolean).join("\n"),
      url: `${base}/schedule`,
      status: "CONFIRMED" as const,
    })),
    "マイナンバーカード出張申請窓口 巡回・拠点スケジュール",
  );
}

export function icsResponse(body: string, filename: string): Response {
  return new Response(body, {
    headers: {
      "Content-Type": "text/calendar; charset=utf-8",
      "Content-Disposition": `inline; filename="${filename}"`,
      "Cache-Control": "no-store",
    },
  });
}
