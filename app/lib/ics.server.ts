/** iCalendar (.ics) output through the `ics` package; times are Asia/Tokyo. */
import { createEvents, type EventAttributes } from "ics";
import { env } from "../env.server";

export type IcsEvent = {
  uid: string;
  title: string;
  /** Local Asia/Tokyo YYYY-MM-DDTHH:mm */
  startsAt: string;
  endsAt: string;
  location?: string | null;
  description?: string | null;
  url?: string | null;
  status?: "CONFIRMED" | "TENTATIVE" | "CANCELLED";
  /** RFC 5545 SEQUENCE: the visit's version, so a client replaces an older copy of the event. */
  sequence?: number;
  /** ISO instant the visit last changed (LAST-MODIFIED). */
  lastModified?: string | null;
};

export type IcsOptions = {
  calendarName?: string;
  /** iTIP method: PUBLISH for files and feeds, CANCEL to withdraw an event sent by email. */
  method?: "PUBLISH" | "CANCEL";
  /** Who sends the event (iTIP wants an ORGANIZER in emailed events). */
  organizer?: { name: string; email: string };
};

/** Local Tokyo wall-clock → UTC date-time array (ics writes UTC with a Z). */
function utcParts(local: string): [number, number, number, number, number] {
  const d = new Date(`${local}:00+09:00`);
  return [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes()];
}

/** A UID unique to this deployment: `<what>-<id>@<APP_URL's host name>`. */
export function icsUid(what: string, id: number): string {
  return `${what}-${id}@${new URL(env().APP_URL).hostname}`;
}

const encoder = new TextEncoder();

/**
 * Fold one content line at 75 octets (RFC 5545 §3.1): each continuation line
 * starts with a space that counts towards its 75, and a multi-byte UTF-8
 * character (Japanese text) is never split across lines.
 */
export function foldLine(line: string): string {
  const parts: string[] = [];
  let current = "";
  let bytes = 0;
  let limit = 75;
  for (const ch of line) {
    const size = encoder.encode(ch).length;
    if (bytes + size > limit) {
      parts.push(current);
      current = "";
      bytes = 0;
      limit = 74; // the leading space of the continuation line takes one octet
    }
    current += ch;
    bytes += size;
  }
  parts.push(current);
  return parts.join("\r\n ");
}

/** Unfold what `ics` folded by characters and fold again by octets. */
export function refold(ics: string): string {
  return ics
    .replace(/\r\n[ \t]/g, "")
    .split("\r\n")
    .map((line) => (line === "" ? line : foldLine(line)))
    .join("\r\n");
}

export function buildIcs(events: IcsEvent[], opts: IcsOptions | string = {}): string {
  const { calendarName = "出張申請窓口", method = "PUBLISH", organizer } = typeof opts === "string" ? { calendarName: opts } : opts;
  const attrs: EventAttributes[] = events.map((e) => ({
    uid: e.uid,
    title: e.title,
    start: utcParts(e.startsAt),
    startInputType: "utc",
    startOutputType: "utc",
    end: utcParts(e.endsAt),
    endInputType: "utc",
    endOutputType: "utc",
    location: e.location ?? undefined,
    description: e.description ?? undefined,
    url: e.url ?? undefined,
    status: e.status ?? "CONFIRMED",
    sequence: e.sequence,
    lastModified: e.lastModified ? Date.parse(e.lastModified) : undefined,
    organizer,
  }));
  if (attrs.length === 0) {
    // ics refuses an empty list; an empty calendar (no sessions yet) is still a valid feed.
    return refold(
      ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:demado", `METHOD:${method}`, "CALSCALE:GREGORIAN", `X-WR-CALNAME:${calendarName}`, "END:VCALENDAR", ""].join("\r\n"),
    );
  }
  const { error, value } = createEvents(attrs, { productId: "demado", method, calName: calendarName });
  if (error || !value) throw error ?? new Error("ics generation failed");
  return refold(value);
}
