/**
 * The day's results (実施結果): recorded once on site, corrected later with
 * the earlier values kept. Everything one entry touches commits in ONE
 * writeTransaction: the results row, the correction history, the on-site
 * inquiry rows, the visit's completion through the lifecycle (the first entry
 * is what completes a visit: app/visits/lifecycle.ts `complete` requires it),
 * the organisation's stage and timeline, the thank-you email and the audit.
 *
 * How the counts are read (who counts where, fallbacks, 市外) is written down
 * in app/visits/results.ts.
 *
 * On-site inquiries: the form's counts per category become this visit's
 * inquiry rows with fromResults = true (channel "site", on the visit's day),
 * replaced on every correction; the results' inquiryCount is always the sum of
 * ALL the visit's site rows (those logged one by one in the inquiry log
 * included), so the log and the results never count one person twice.
 */
import { and, desc, eq, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";
import { inquiries, organisations, users, venues, visitRequests, visitResultHistory, visitResults, visits } from "../../db/schema";
import type { SessionUser } from "../auth.server";
import { audit } from "../audit.server";
import { logActivity, recordStageChange } from "../crm/activities.server";
import { stageAfterResults } from "../crm/stages";
import { getDb, type Db, type Tx } from "../db.server";
import { todayInTokyo } from "../lib/dates";
import { fieldErrors } from "../lib/validation";
import { can } from "../permissions";
import { labelOf } from "../settings";
import { getSettings } from "../settings.server";
import { NOT_FOUND, refusable, type Refusal } from "./common.server";
import { queueThankYouEmail } from "./emails.server";
import { refreshInquiryCount } from "../onsite/inquiries.server";
import { resultsRefusal, resultsSchema, resultTotals, type ResultsInput, type ResultsValues } from "./results";
import { applyTransitionIn } from "./transitions.server";

export const STALE_RESULTS = "他の人が先にこの実績を保存しました。画面を再読み込みして最新の値を確認してから、もう一度入力してください。";
export const CHECK_FIELDS = "入力内容を確認してください。赤く表示された項目を直してから保存してください。";

export type RecordResultsResult =
  | { ok: true; first: boolean; version: number; stage: "visited" | "revisit" | null; emailed: boolean }
  | (Refusal & { errors?: Record<string, string> });

type ResultsRow = typeof visitResults.$inferSelect;

/** The on-site inquiry counts the results form wrote for a visit, by category. */
function formInquiries(tx: Tx | Db, visitId: number): Record<string, number> {
  const rows = tx
    .select({ topic: inquiries.topic, n: sql<number>`sum(${inquiries.count})` })
    .from(inquiries)
    .where(and(eq(inquiries.visitId, visitId), eq(inquiries.fromResults, true)))
    .groupBy(inquiries.topic)
    .all();
  return Object.fromEntries(rows.map((r) => [r.topic, r.n]));
}

/** Site inquiries of a visit logged one by one in the inquiry log (not by the results form), by category. */
function loggedSiteInquiries(tx: Tx | Db, visitId: number): Record<string, number> {
  const rows = tx
    .select({ topic: inquiries.topic, n: sql<number>`sum(${inquiries.count})` })
    .from(inquiries)
    .where(and(eq(inquiries.visitId, visitId), eq(inquiries.channel, "site"), eq(inquiries.fromResults, false)))
    .groupBy(inquiries.topic)
    .all();
  return Object.fromEntries(rows.map((r) => [r.topic, r.n]));
}


const nonZero = (r: Record<string, number>) => Object.fromEntries(Object.entries(r).filter(([, n]) => n > 0));

function outcome(r: Pick<ResultsRow, "revisitWanted" | "acceptCount" | "supportOnlineCount" | "supportMailCount">, expectedApplicants: number | null) {
  return { revisitWanted: r.revisitWanted, applications: r.acceptCount + r.supportOnlineCount + r.supportMailCount, expectedApplicants };
}

/**
 * Record (or correct) a visit's results. The first entry completes the visit
 * through the lifecycle, moves a group visit's organisation to 実施済 or
 * 再訪候補 (stageAfterResults) and thanks its contact by email; a correction
 * keeps the previous values in visit_result_history and moves the stage only
 * when the rule's answer changed and the organisation is still where the
 * earlier results put it. `now` is the clock (demo data passes past times).
 */
export function recordResults(input: ResultsInput, actor: SessionUser, opts: { now?: Date; db?: Db } = {}): RecordResultsResult {
  const now = opts.now ?? new Date();
  const nowIso = now.toISOString();
  // Corrections too, not only the completing transition: the city and others never write results.
  if (!can(actor.role, "visits.manage")) return { ok: false, message: "実績の入力は受託者の担当者のみが行えます。" };
  return refusable<RecordResultsResult>((tx) => {
    const v = tx.select().from(visits).where(eq(visits.id, input.visitId)).get();
    if (!v) return { ok: false, message: NOT_FOUND };
    const refusal = resultsRefusal(v, todayInTokyo(now));
    if (refusal) return { ok: false, message: refusal };

    const existing = tx.select().from(visitResults).where(eq(visitResults.visitId, v.id)).get();
    if (input.expectedVersion !== undefined) {
      const expected = Number(input.expectedVersion || 0);
      if (expected !== (existing?.version ?? 0)) return { ok: false, message: STALE_RESULTS };
    }

    const settings = getSettings(tx);
    const parsed = resultsSchema({
      kind: v.kind,
      mode: v.mode,
      fallbackReasons: settings.fallbackReasons,
      assistanceCategories: settings.assistanceCategories,
      inquiryCategories: settings.inquiryCategories,
    }).safeParse(input);
    if (!parsed.success) return { ok: false, message: CHECK_FIELDS, errors: fieldErrors(parsed.error) };
    const d: ResultsValues = parsed.data;
    const totals = resultTotals(d);

    const values = {
      acceptCount: d.acceptCount,
      supportOnlineCount: d.supportOnlineCount,
      supportMailCount: d.supportMailCount,
      acceptOutOfCityCount: d.acceptOutOfCityCount,
      supportOnlineOutOfCityCount: d.supportOnlineOutOfCityCount,
      supportMailOutOfCityCount: d.supportMailOutOfCityCount,
      // The totals the reports read, kept in step with the per-mode counts (a DB check holds them to it).
      inCityCount: totals.inCity,
      outOfCityCount: totals.outOfCity,
      fallbackCount: d.fallbackCount,
      fallbackReasons: nonZero(d.fallbackReasons),
      otherAssistance: nonZero(d.otherAssistance),
      revisitWanted: d.revisitWanted,
      notes: d.notes,
      updatedById: actor.id,
      updatedAt: nowIso,
    };

    let version: number;
    if (existing) {
      // The correction history: the whole previous row, with the inquiry counts it was saved with.
      tx.insert(visitResultHistory)
        .values({ visitId: v.id, previous: { ...existing, inquiries: formInquiries(tx, v.id) }, reason: d.reason, replacedById: actor.id, replacedAt: nowIso })
        .run();
      version = existing.version + 1;
      const changed = tx
        .update(visitResults)
        .set({ ...values, version })
        .where(and(eq(visitResults.id, existing.id), eq(visitResults.version, existing.version)))
        .run();
      if (changed.changes !== 1) return { ok: false, message: STALE_RESULTS };
    } else {
      version = 1;
      tx.insert(visitResults)
        .values({ visitId: v.id, ...values, version, recordedById: actor.id, recordedAt: nowIso })
        .run();
    }

    // The form's on-site inquiries replace its earlier rows; the log's own rows stay.
    tx.delete(inquiries)
      .where(and(eq(inquiries.visitId, v.id), eq(inquiries.fromResults, true)))
      .run();
    for (const [topic, n] of Object.entries(nonZero(d.inquiries))) {
      tx.insert(inquiries)
        .values({ channel: "site", visitId: v.id, receivedOn: v.date!, topic, count: n, fromResults: true, createdById: actor.id, createdAt: nowIso })
        .run();
    }
    const inquiryCount = refreshInquiryCount(tx, v.id);

    // The first entry completes the visit (status, car, timeline, stage by stageAfterResults, audit).
    const first = !existing;
    if (first && v.status !== "completed") {
      const done = applyTransitionIn(tx, { visitId: v.id, transition: "complete", actor, now });
      if (!done.ok) return done;
    }

    let stage: "visited" | "revisit" | null = null;
    let emailed = false;
    if (v.kind === "group" && v.organisationId) {
      const next = stageAfterResults(outcome(values, v.expectedApplicants));
      stage = next;
      // Where the earlier results left it (a visit completed before results were entered: 実施済).
      const before = existing ? stageAfterResults(outcome(existing, v.expectedApplicants)) : v.status === "completed" ? "visited" : null;
      if (before) {
        const org = tx.select({ stage: organisations.stage }).from(organisations).where(eq(organisations.id, v.organisationId)).get();
        // Only undo what the earlier results did: a stage staff or a later visit set is left alone.
        if (before !== next && org?.stage === before) {
          recordStageChange(tx, { organisationId: v.organisationId, to: next, userId: actor.id, visitId: v.id, reason: "実績の訂正による", at: nowIso });
        }
      }
      logActivity(tx, {
        organisationId: v.organisationId,
        kind: "result",
        summary: first ? `実施結果を登録（申請 ${totals.applications} 件）` : `実施結果を訂正（申請 ${totals.applications} 件）`,
        body: first ? null : d.reason,
        visitId: v.id,
        requestId: v.requestId,
        userId: actor.id,
        occurredAt: nowIso,
      });
      // Thanks once, for the visit, not for each correction.
      if (first) emailed = queueThankYouEmail(tx, v.id, totals.applications) != null;
    }

    audit(
      {
        userId: actor.id,
        action: first ? "visit.results.record" : "visit.results.correct",
        entity: "visit",
        entityId: v.id,
        detail: { version, applications: totals.applications, outOfCity: totals.outOfCity, fallback: d.fallbackCount, inquiries: inquiryCount, reason: d.reason ?? undefined },
        at: nowIso,
      },
      tx,
    );
    return { ok: true, first, version, stage, emailed };
  }, opts.db ?? getDb());
}

// ---------------------------------------------------------------------------
// Reading

type CategoryCount = { key: string; label: string; count: number };

/** A set of counts as screens show them: per mode, totals, breakdowns with their labels. */
export type ResultsView = {
  acceptCount: number;
  supportOnlineCount: number;
  supportMailCount: number;
  acceptOutOfCityCount: number;
  supportOnlineOutOfCityCount: number;
  supportMailOutOfCityCount: number;
  fallbackCount: number;
  fallbackReasons: CategoryCount[];
  otherAssistance: CategoryCount[];
  /** On-site inquiries entered with the results, by category. */
  inquiries: CategoryCount[];
  inquiryCount: number;
  revisitWanted: boolean;
  notes: string | null;
  totals: ReturnType<typeof resultTotals>;
};

export type ResultsSummaryData = {
  visit: { id: number; kind: (typeof visits.$inferSelect)["kind"]; mode: (typeof visits.$inferSelect)["mode"]; status: (typeof visits.$inferSelect)["status"]; date: string | null; title: string; expectedApplicants: number | null };
  /** Why results cannot be entered now (null: they can). */
  refusal: string | null;
  results:
    | (ResultsView & { version: number; recordedAt: string; recordedBy: string | null; updatedAt: string; updatedBy: string | null; stage: "visited" | "revisit" | null })
    | null;
  /** Earlier values, newest first. */
  history: { id: number; replacedAt: string; replacedBy: string | null; reason: string | null; previous: ResultsView & { version: number } }[];
};

function listed(items: readonly { key: string; label: string }[], counts: Record<string, number> | null | undefined): CategoryCount[] {
  const c = counts ?? {};
  // Every current category (zeros included), then any stored key a later settings change removed.
  const known = items.map((i) => ({ key: i.key, label: i.label, count: c[i.key] ?? 0 }));
  const gone = Object.keys(c)
    .filter((k) => !items.some((i) => i.key === k) && c[k] > 0)
    .map((k) => ({ key: k, label: labelOf(items, k), count: c[k] }));
  return [...known, ...gone];
}

function viewOf(r: ResultsRow & { inquiries?: Record<string, number> }, s: ReturnType<typeof getSettings>): ResultsView {
  const inq = r.inquiries ?? {};
  return {
    acceptCount: r.acceptCount,
    supportOnlineCount: r.supportOnlineCount,
    supportMailCount: r.supportMailCount,
    acceptOutOfCityCount: r.acceptOutOfCityCount ?? 0,
    supportOnlineOutOfCityCount: r.supportOnlineOutOfCityCount ?? 0,
    supportMailOutOfCityCount: r.supportMailOutOfCityCount ?? 0,
    fallbackCount: r.fallbackCount,
    fallbackReasons: listed(s.fallbackReasons, r.fallbackReasons),
    otherAssistance: listed(s.assistanceCategories, r.otherAssistance),
    inquiries: listed(s.inquiryCategories, inq),
    inquiryCount: r.inquiryCount,
    revisitWanted: !!r.revisitWanted,
    notes: r.notes ?? null,
    totals: resultTotals({ ...r, otherAssistance: r.otherAssistance ?? {}, inquiries: inq }),
  };
}

/**
 * Everything the results page and the session page show about a visit's
 * results: the recorded values with who and when, the correction history and
 * whether results may be entered now. Null: no such visit.
 */
export function resultsSummary(visitId: number, db: Db | Tx = getDb(), now: Date = new Date()): ResultsSummaryData | null {
  const v = db.select().from(visits).where(eq(visits.id, visitId)).get();
  if (!v) return null;
  const s = getSettings(db);
  const recorder = alias(users, "recorder");
  const updater = alias(users, "updater");
  const row = db
    .select({ r: visitResults, recordedBy: recorder.name, updatedBy: updater.name })
    .from(visitResults)
    .leftJoin(recorder, eq(recorder.id, visitResults.recordedById))
    .leftJoin(updater, eq(updater.id, visitResults.updatedById))
    .where(eq(visitResults.visitId, visitId))
    .get();
  const history = db
    .select({ h: visitResultHistory, replacedBy: users.name })
    .from(visitResultHistory)
    .leftJoin(users, eq(users.id, visitResultHistory.replacedById))
    .where(eq(visitResultHistory.visitId, visitId))
    .orderBy(desc(visitResultHistory.replacedAt), desc(visitResultHistory.id))
    .all()
    .map(({ h, replacedBy }) => {
      const previous = h.previous as ResultsRow & { inquiries?: Record<string, number> };
      return { id: h.id, replacedAt: h.replacedAt, replacedBy, reason: h.reason, previous: { ...viewOf(previous, s), version: previous.version } };
    });
  return {
    visit: { id: v.id, kind: v.kind, mode: v.mode, status: v.status, date: v.date, title: v.title, expectedApplicants: v.expectedApplicants },
    refusal: resultsRefusal(v, todayInTokyo(now)),
    results: row
      ? {
          ...viewOf({ ...row.r, inquiries: formInquiries(db, visitId) }, s),
          version: row.r.version,
          recordedAt: row.r.recordedAt,
          recordedBy: row.recordedBy,
          updatedAt: row.r.updatedAt,
          updatedBy: row.updatedBy,
          stage: v.kind === "group" ? stageAfterResults(outcome(row.r, v.expectedApplicants)) : null,
        }
      : null,
    history,
  };
}

/** What the results page needs besides the summary: where and when, the form's categories, the log's own site inquiries. */
export function resultsPage(visitId: number, db: Db = getDb(), now: Date = new Date()) {
  const summary = resultsSummary(visitId, db, now);
  if (!summary) return null;
  const v = db
    .select({ startsAt: visits.startsAt, endsAt: visits.endsAt, venueName: venues.name, venueText: visitRequests.venueText, organisationId: visits.organisationId, organisationName: organisations.name, organisationStage: organisations.stage })
    .from(visits)
    .leftJoin(venues, eq(venues.id, visits.venueId))
    .leftJoin(visitRequests, eq(visitRequests.id, visits.requestId))
    .leftJoin(organisations, eq(organisations.id, visits.organisationId))
    .where(eq(visits.id, visitId))
    .get()!;
  const s = getSettings(db);
  return {
    summary,
    place: v.venueName ?? v.venueText ?? "",
    startsAt: v.startsAt,
    endsAt: v.endsAt,
    organisation: v.organisationId ? { id: v.organisationId, name: v.organisationName ?? "", stage: v.organisationStage } : null,
    categories: { fallbackReasons: s.fallbackReasons, assistanceCategories: s.assistanceCategories, inquiryCategories: s.inquiryCategories },
    loggedInquiries: loggedSiteInquiries(db, visitId),
  };
}
