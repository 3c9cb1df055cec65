/**
 * Turning session rows into report bodies. Pure: the .server modules read
 * the rows (data.server.ts) and hand them here, so one build serves the page,
 * the XLSX, the CSV, the frozen copy and the /reports list alike.
 */
import { INQUIRY_CHANNELS, ORGANISATION_KINDS, VISIT_KINDS, VISIT_MODES, type InquiryChannel, type PrMedium, type VisitKind } from "../../db/enums";
import { ORGANISATION_KIND_LABELS, VISIT_KIND_LABELS, VISIT_MODE_SHORT_LABELS, labelOf } from "../lib/labels";
import { addCounts, emptyCounts, perHour, sumCounts } from "./counts";
import { TARGETS, type ProgramTargets } from "./targets";
import type { Categories, CompletionBody, Counts, CountRow, DailyBody, GroupRow, InquirySummary, MonthlyBody, PrLine, RankRow, ReportHeader, SessionLine } from "./types";

/** What assemble needs of a session (data.server.ts SessionRow has it all). */
export type SessionInput = SessionLine & { date: string; placeKey: string };

export type InquiryInput = { channel: InquiryChannel; topic: string; count: number };

function toLine(s: SessionInput): SessionLine {
  return {
    visitId: s.visitId,
    kind: s.kind,
    mode: s.mode,
    place: s.place,
    organisationKind: s.organisationKind,
    startsAt: s.startsAt,
    endsAt: s.endsAt,
    resultsMissing: s.resultsMissing,
    counts: s.counts,
    notes: s.notes,
    incidents: s.incidents,
    photos: s.photos,
  };
}

export function dailyBody(header: ReportHeader, categories: Categories, date: string, sessions: readonly SessionInput[]): DailyBody {
  const lines = sessions.filter((s) => s.date === date).map(toLine);
  return { kind: "daily", header, categories, date, sessions: lines, totals: sumCounts(lines.map((l) => l.counts)) };
}

/** Group sessions by a key, in the order the keys are given (or first seen), with a label each. */
export function groupRows(
  sessions: readonly SessionInput[],
  keyOf: (s: SessionInput) => string | null,
  labelFor: (key: string, s: SessionInput) => string,
  order?: readonly string[]
): GroupRow[] {
  const map = new Map<string, GroupRow>();
  for (const k of order ?? []) map.set(k, { key: k, label: "", counts: emptyCounts() });
  for (const s of sessions) {
    const key = keyOf(s);
    if (key == null) continue;
    const row = map.get(key) ?? { key, label: "", counts: emptyCounts() };
    if (!row.label) row.label = labelFor(key, s);
    addCounts(row.counts, s.counts);
    map.set(key, row);
  }
  return [...map.values()].filter((r) => r.counts.sessions > 0 || order?.includes(r.key)).map((r) => ({ ...r, label: r.label || labelFor(r.key, sessions[0]) }));
}

const byKind = (sessions: readonly SessionInput[]) =>
  groupRows(
    sessions,
    (s) => s.kind,
    (k) => VISIT_KIND_LABELS[k as VisitKind],
    VISIT_KINDS
  );
const byOrganisationKind = (sessions: readonly SessionInput[]) =>
  groupRows(
    sessions.filter((s) => s.kind === "group"),
    (s) => s.organisationKind ?? "other",
    (k) => ORGANISATION_KIND_LABELS[k as keyof typeof ORGANISATION_KIND_LABELS] ?? k
  ).sort((a, b) => ORGANISATION_KINDS.indexOf(a.key as never) - ORGANISATION_KINDS.indexOf(b.key as never));
const byPlace = (sessions: readonly SessionInput[]) =>
  groupRows(
    sessions,
    (s) => s.placeKey,
    (_k, s) => s.place
  ).sort((a, b) => b.counts.applications - a.counts.applications || a.label.localeCompare(b.label, "ja"));

/** Rank by applications per session hour (then by applications), with the month before beside each line. */
export function rankRows(current: readonly GroupRow[], previous: readonly GroupRow[]): RankRow[] {
  const prev = new Map(previous.map((p) => [p.key, p]));
  return current
    .map((r) => {
      const p = prev.get(r.key);
      return {
        key: r.key,
        label: r.label,
        sessions: r.counts.sessions,
        hours: r.counts.hours,
        applications: r.counts.applications,
        perHour: perHour(r.counts.applications, r.counts.hours),
        previous: p ? { sessions: p.counts.sessions, hours: p.counts.hours, applications: p.counts.applications, perHour: perHour(p.counts.applications, p.counts.hours) } : null,
      };
    })
    .sort((a, b) => (b.perHour ?? -1) - (a.perHour ?? -1) || b.applications - a.applications || a.label.localeCompare(b.label, "ja"));
}

export function inquirySummary(rows: readonly InquiryInput[], categories: Categories): InquirySummary {
  const byChannel = INQUIRY_CHANNELS.map((channel) => ({ channel, count: rows.filter((r) => r.channel === channel).reduce((n, r) => n + r.count, 0) })).filter((c) => c.count > 0);
  const cat = new Map<string, number>();
  for (const r of rows) cat.set(r.topic, (cat.get(r.topic) ?? 0) + r.count);
  const byCategory: CountRow[] = [...cat.entries()]
    .map(([key, count]) => ({ key, label: labelOf(categories.inquiry, key), count }))
    .sort((a, b) => b.count - a.count || categories.inquiry.findIndex((c) => c.key === a.key) - categories.inquiry.findIndex((c) => c.key === b.key));
  return { total: rows.reduce((n, r) => n + r.count, 0), byChannel, byCategory };
}

export function monthlyBody(input: {
  header: ReportHeader;
  categories: Categories;
  month: string;
  previousMonth: string;
  sessions: readonly SessionInput[];
  previousSessions: readonly SessionInput[];
  prDone: PrLine[];
  prPlanned: PrLine[];
  inquiries: readonly InquiryInput[];
}): MonthlyBody {
  const { sessions, previousSessions } = input;
  const days = new Map<string, Counts>();
  for (const s of sessions) addCounts(days.get(s.date) ?? days.set(s.date, emptyCounts()).get(s.date)!, s.counts);
  const allIncidents = sessions.flatMap((s) => s.incidents);
  return {
    kind: "monthly",
    header: input.header,
    categories: input.categories,
    month: input.month,
    totals: sumCounts(sessions.map((s) => s.counts)),
    byKind: byKind(sessions),
    byPlace: byPlace(sessions),
    byOrganisationKind: byOrganisationKind(sessions),
    days: [...days.entries()].map(([date, counts]) => ({ date, counts })),
    incidents: { serious: allIncidents.filter((i) => i.severity !== "minor").length, total: allIncidents.length },
    pr: { done: input.prDone, planned: input.prPlanned },
    inquiries: inquirySummary(input.inquiries, input.categories),
    analysis: {
      previousMonth: input.previousMonth,
      places: rankRows(byPlace(sessions), byPlace(previousSessions)),
      kinds: rankRows(
        byKind(sessions).filter((r) => r.counts.sessions > 0),
        byKind(previousSessions)
      ),
      organisationKinds: rankRows(byOrganisationKind(sessions), byOrganisationKind(previousSessions)),
    },
  };
}

export function completionBody(input: {
  header: CompletionBody["header"];
  categories: Categories;
  targets: ProgramTargets;
  sessions: readonly SessionInput[];
  inquiries: readonly InquiryInput[];
  prDone: PrLine[];
}): CompletionBody {
  const { sessions } = input;
  const months = new Map<string, Counts>();
  for (const s of sessions) {
    const m = s.date.slice(0, 7);
    addCounts(months.get(m) ?? months.set(m, emptyCounts()).get(m)!, s.counts);
  }
  const byKindMode = groupRows(
    sessions,
    (s) => `${s.kind}:${s.mode}`,
    (k) => {
      const [kind, mode] = k.split(":");
      return `${VISIT_KIND_LABELS[kind as VisitKind]}（${VISIT_MODE_SHORT_LABELS[mode as "accept" | "support"]}）`;
    },
    VISIT_KINDS.flatMap((k) => VISIT_MODES.map((m) => `${k}:${m}`))
  ).filter((r) => r.counts.sessions > 0);
  const media = new Map<PrMedium, { count: number; reach: Map<string, number> }>();
  for (const p of input.prDone) {
    const m = media.get(p.medium) ?? media.set(p.medium, { count: 0, reach: new Map() }).get(p.medium)!;
    m.count += 1;
    if (p.reach != null) m.reach.set(p.reachUnit ?? "", (m.reach.get(p.reachUnit ?? "") ?? 0) + p.reach);
  }
  return {
    kind: "completion",
    header: input.header,
    categories: input.categories,
    firstSessionDate: sessions[0]?.date ?? null,
    lastSessionDate: sessions.at(-1)?.date ?? null,
    totals: sumCounts(sessions.map((s) => s.counts)),
    byMonth: [...months.entries()].map(([month, counts]) => ({ month, counts })),
    byKind: byKind(sessions),
    byKindMode,
    targets: TARGETS.map((t) => ({
      key: t.key,
      label: t.label,
      wording: t.wording,
      target: input.targets[t.column],
      done: sessions.filter((s) => t.counts(s.kind, s.mode)).length,
    })),
    inquiries: {
      site: inquirySummary(
        input.inquiries.filter((i) => i.channel === "site"),
        input.categories
      ),
      phone: inquirySummary(
        input.inquiries.filter((i) => i.channel === "phone"),
        input.categories
      ),
      other: inquirySummary(
        input.inquiries.filter((i) => i.channel !== "site" && i.channel !== "phone"),
        input.categories
      ),
    },
    pr: {
      done: input.prDone,
      byMedium: [...media.entries()].map(([medium, m]) => ({ medium, count: m.count, reach: [...m.reach.entries()].map(([unit, total]) => ({ unit, total })) })),
    },
  };
}
