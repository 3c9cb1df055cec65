/** Adding up results: the one place that knows how counts combine. Pure. */
import type { Counts } from "./types";

export function emptyCounts(): Counts {
  return {
    sessions: 0,
    hours: 0,
    accept: 0,
    supportOnline: 0,
    supportMail: 0,
    applications: 0,
    inCity: 0,
    outOfCity: 0,
    acceptOutOfCity: 0,
    supportOnlineOutOfCity: 0,
    supportMailOutOfCity: 0,
    fallback: 0,
    fallbackReasons: {},
    otherAssistance: {},
    inquiries: 0,
  };
}

function addRecord(into: Record<string, number>, from: Record<string, number>) {
  for (const [k, v] of Object.entries(from)) if (v) into[k] = (into[k] ?? 0) + v;
}

/** Add `b` into `a` (mutates and returns `a`). */
export function addCounts(a: Counts, b: Counts): Counts {
  a.sessions += b.sessions;
  a.hours = roundHours(a.hours + b.hours);
  a.accept += b.accept;
  a.supportOnline += b.supportOnline;
  a.supportMail += b.supportMail;
  a.applications += b.applications;
  a.inCity += b.inCity;
  a.outOfCity += b.outOfCity;
  a.acceptOutOfCity += b.acceptOutOfCity;
  a.supportOnlineOutOfCity += b.supportOnlineOutOfCity;
  a.supportMailOutOfCity += b.supportMailOutOfCity;
  a.fallback += b.fallback;
  addRecord(a.fallbackReasons, b.fallbackReasons);
  addRecord(a.otherAssistance, b.otherAssistance);
  a.inquiries += b.inquiries;
  return a;
}

export function sumCounts(all: Iterable<Counts>): Counts {
  const total = emptyCounts();
  for (const c of all) addCounts(total, c);
  return total;
}

/** Hours to two decimals (a 10:00–12:20 session is 2.33 h), so sums do not drift. */
export function roundHours(h: number): number {
  return Math.round(h * 100) / 100;
}

/** Hours between two local `YYYY-MM-DDTHH:mm` times (0 when either is missing). */
export function hoursBetween(startsAt: string | null, endsAt: string | null): number {
  if (!startsAt || !endsAt) return 0;
  const ms = new Date(`${endsAt}:00Z`).getTime() - new Date(`${startsAt}:00Z`).getTime();
  return ms > 0 ? roundHours(ms / 3_600_000) : 0;
}

/** Applications per session hour, to one decimal; null without hours. */
export function perHour(applications: number, hours: number): number | null {
  return hours > 0 ? Math.round((applications / hours) * 10) / 10 : null;
}
