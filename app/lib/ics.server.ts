/** iCalendar (.ics) output through the `ics` package; times are Asia/Tokyo. */
import { createEvents, type EventAttributes } from "ics";

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
};

/** Local Tokyo wall-clock → UTC date-time array (ics writes UTC with a Z). */
function utcParts(local: string): [number, number, number, number, number] {
  const d = new Date(`${local}:00+09:00`);
  return [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes()];
}

export function buildIcs(events: IcsEvent[], calendarName = "出張申請窓口"): string {
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
    productId: "demado",
    calName: calendarName,
  }));
  if (attrs.length === 0) {
    // ics refuses an empty list; an empty calendar is still a valid feed.
    return ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:demado", `X-WR-CALNAME:${calendarName}`, "END:VCALENDAR", ""].join("\r\n");
  }
  const { error, value } = createEvents(attrs);
  if (error || !value) throw error ?? new Error("ics generation failed");
  return value;
}
