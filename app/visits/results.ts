/**
 * The day's results of a visit or session (実施結果): what the form asks, how
 * it is checked, and the totals. Pure and browser-safe (the form shows live
 * totals with it); app/visits/results.server.ts writes them.
 *
 * How applicants are counted (seed 000 §5(6)④ ※, §9①イ):
 *   - every application is counted once, under the mode it was finally made in:
 *     受付方式, or サポート方式 online or by mail;
 *   - an applicant who came for 受付方式 but fell back to サポート方式 (ID
 *     documents incomplete, …) applied by サポート方式, so is counted in the
 *     サポート counts. 切替 (fallbackCount) says how many of those サポート
 *     applications were fallbacks, with the reasons: it is never added to the
 *     total, and can be at most the サポート total. Only a 受付方式 session has
 *     fallbacks;
 *   - 市外 (out-of-city) is counted per mode as part of that mode's count; the
 *     in-city count is the rest.
 */
import { z } from "zod";
import type { VisitKind, VisitMode, VisitStatus } from "../../db/enums";
import { formatDate } from "../lib/dates";
import { VISIT_STATUS_LABELS } from "../lib/labels";
import { freeText } from "../lib/validation";
import { DONE_STATES, INACTIVE_STATES, trackOf, transitionFrom } from "./lifecycle";

type Category = { key: string; label: string };

/** The most a count may be (a typo guard: no session sees ten thousand people). */
export const MAX_COUNT = 9999;

/** The per-mode counts, in form order. */
export const COUNT_FIELDS = [
  "acceptCount",
  "supportOnlineCount",
  "supportMailCount",
  "acceptOutOfCityCount",
  "supportOnlineOutOfCityCount",
  "supportMailOutOfCityCount",
  "fallbackCount",
] as const;
export type CountField = (typeof COUNT_FIELDS)[number];

/** The breakdowns by a settings list; the form names their inputs `<group>.<key>`. */
export const BREAKDOWNS = ["fallbackReasons", "otherAssistance", "inquiries"] as const;
export type Breakdown = (typeof BREAKDOWNS)[number];

/** What recordResults() takes: numbers or the form's strings. */
export type ResultsInput = Partial<Record<CountField, number | string | null>> &
  Partial<Record<Breakdown, Record<string, number | string | null | undefined>>> & {
    visitId: number;
    revisitWanted?: boolean | string | null;
    notes?: string | null;
    /** Why a correction was made (optional; kept with the previous values). */
    reason?: string | null;
    /** The results version the form was filled from (0 or null: none yet). Undefined: not checked. */
    expectedVersion?: number | string | null;
  };

/** The checked values. */
export type ResultsValues = Record<CountField, number> &
  Record<Breakdown, Record<string, number>> & {
    revisitWanted: boolean;
    notes: string | null;
    reason: string | null;
  };

/** Build the input from a posted form (`fallbackReasons.id_incomplete` → fallbackReasons.id_incomplete). */
export function resultsInputFromForm(visitId: number, form: Record<string, unknown>): ResultsInput {
  const input: ResultsInput = { visitId };
  const out = input as Record<string, unknown>;
  for (const f of COUNT_FIELDS) out[f] = str(form[f]);
  for (const b of BREAKDOWNS) {
    const group: Record<string, string> = {};
    for (const [k, v] of Object.entries(form)) if (k.startsWith(`${b}.`)) group[k.slice(b.length + 1)] = str(v) ?? "";
    out[b] = group;
  }
  input.revisitWanted = str(form.revisitWanted) ?? null;
  input.notes = str(form.notes) ?? null;
  input.reason = str(form.reason) ?? null;
  input.expectedVersion = str(form.version) ?? null;
  return input;
}

function str(v: unknown): string | undefined {
  return typeof v === "string" ? v : typeof v === "number" ? String(v) : undefined;
}

// The zod schemas are built when a form is checked (on the server), not when this module loads: the
// results page imports this module into the browser for its totals, and a top-level schema would
// bring classic zod with it, into a chunk the public request form shares (issue 14).

/** One count: empty or missing is 0; full-width digits are read; anything else says how to write it. */
const countSchema = () =>
  z
    .unknown()
    .optional()
    .transform((raw, ctx) => {
      const s = raw == null ? "" : String(raw).normalize("NFKC").trim().replace(/,/g, "");
      if (s === "") return 0;
      const fail = (message: string) => {
        ctx.addIssue({ code: "custom", message });
        return z.NEVER;
      };
      if (/^[-−]\s*\d/.test(s)) return fail("マイナスの数は入力できません。0以上の整数で入力してください。");
      if (/^\d+\.\d+$/.test(s)) return fail("小数は入力できません。人数・件数を整数で入力してください。");
      if (!/^\d+$/.test(s)) return fail("数字で入力してください（例: 12）。いなければ 0 または空欄にしてください。");
      const n = Number(s);
      if (n > MAX_COUNT) return fail(`${MAX_COUNT}以下で入力してください。`);
      return n;
    });

const checkboxSchema = () =>
  z
    .union([z.boolean(), z.string(), z.null()])
    .optional()
    .transform((v) => v === true || v === "on" || v === "true" || v === "1");

export type ResultsContext = {
  kind: VisitKind;
  mode: VisitMode;
  fallbackReasons: readonly Category[];
  assistanceCategories: readonly Category[];
  inquiryCategories: readonly Category[];
};

/** Which parts of the form apply: 受付方式 fields only for a 受付方式 session, 再訪 only for a group visit. */
export function formParts(ctx: Pick<ResultsContext, "kind" | "mode">) {
  return {
    accept: ctx.mode === "accept",
    fallback: ctx.mode === "accept",
    revisit: ctx.kind === "group",
  };
}

const byKeys = (items: readonly Category[], count: z.ZodType<number>) =>
  z.object(Object.fromEntries(items.map((i) => [i.key, count]))).default({} as never);

/**
 * The form's schema for one session. Errors come keyed by the form's field
 * names (`acceptCount`, `fallbackReasons.id_incomplete`, `fallbackReasons` for
 * the group as a whole, `notes`), in Japanese, saying how to fix them.
 */
export function resultsSchema(ctx: ResultsContext) {
  const parts = formParts(ctx);
  const count = countSchema();
  const checkbox = checkboxSchema();
  return z
    .object({
      acceptCount: count,
      supportOnlineCount: count,
      supportMailCount: count,
      acceptOutOfCityCount: count,
      supportOnlineOutOfCityCount: count,
      supportMailOutOfCityCount: count,
      fallbackCount: count,
      fallbackReasons: byKeys(ctx.fallbackReasons, count),
      otherAssistance: byKeys(ctx.assistanceCategories, count),
      inquiries: byKeys(ctx.inquiryCategories, count),
      revisitWanted: checkbox,
      notes: freeText(1000, { multiline: true }).nullish(),
      reason: freeText(200).nullish(),
    })
    .superRefine((d, c) => {
      const issue = (path: string[], message: string) => c.addIssue({ code: "custom", path, message });
      if (!parts.accept) {
        if (d.acceptCount > 0) issue(["acceptCount"], "この予定はサポート方式のため、受付方式の件数は入力できません。0にしてください。");
        if (d.acceptOutOfCityCount > 0)
          issue(["acceptOutOfCityCount"], "この予定はサポート方式のため、受付方式の市外の人数は入力できません。0にしてください。");
      }
      const within: [CountField, CountField, string][] = [
        ["acceptOutOfCityCount", "acceptCount", "受付方式"],
        ["supportOnlineOutOfCityCount", "supportOnlineCount", "サポート方式（オンライン）"],
        ["supportMailOutOfCityCount", "supportMailCount", "サポート方式（郵送）"],
      ];
      for (const [out, of, label] of within) {
        if (d[out] > d[of]) issue([out], `市外の人数（${d[out]}人）が${label}の件数（${d[of]}件）を超えています。市外の人はその方式の件数に含めて数えます。`);
      }
      const reasons = Object.values(d.fallbackReasons as Record<string, number>).reduce((a, b) => a + b, 0);
      if (!parts.fallback) {
        if (d.fallbackCount > 0 || reasons > 0) issue(["fallbackCount"], "切替は受付方式の訪問だけにあります。この予定はサポート方式のため、0にしてください。");
        return;
      }
      const support = d.supportOnlineCount + d.supportMailCount;
      if (d.fallbackCount > support) {
        issue(
          ["fallbackCount"],
          `切替えた人はサポート方式の件数に含めて数えます。切替えた人数（${d.fallbackCount}人）がサポート方式（オンライン・郵送）の合計（${support}件）を超えています。`
        );
      }
      if (reasons !== d.fallbackCount) {
        issue(["fallbackReasons"], `理由別の合計（${reasons}人）が切替えた人数（${d.fallbackCount}人）と合いません。理由ごとの人数を見直してください。`);
      }
    })
    .transform(
      (d): ResultsValues => ({
        ...d,
        fallbackReasons: d.fallbackReasons as Record<string, number>,
        otherAssistance: d.otherAssistance as Record<string, number>,
        inquiries: d.inquiries as Record<string, number>,
        revisitWanted: parts.revisit && d.revisitWanted,
        notes: d.notes || null,
        reason: d.reason || null,
      })
    );
}

/** Totals of a set of counts (the in-city count is what is not out of the city). */
export function resultTotals(
  v: Partial<Record<CountField, number>> & {
    otherAssistance?: Record<string, number>;
    inquiries?: Record<string, number>;
  }
) {
  const n = (f: CountField) => v[f] ?? 0;
  const sum = (r?: Record<string, number>) => Object.values(r ?? {}).reduce((a, b) => a + (Number.isFinite(b) ? b : 0), 0);
  const applications = n("acceptCount") + n("supportOnlineCount") + n("supportMailCount");
  const outOfCity = n("acceptOutOfCityCount") + n("supportOnlineOutOfCityCount") + n("supportMailOutOfCityCount");
  return {
    applications,
    support: n("supportOnlineCount") + n("supportMailCount"),
    outOfCity,
    inCity: applications - outOfCity,
    otherAssistance: sum(v.otherAssistance),
    inquiries: sum(v.inquiries),
  };
}

/**
 * May results be entered for a visit in this state on this day? Null: yes;
 * otherwise why not, in Japanese. First entry completes an approved (group)
 * or agreed (session) visit on or after its day; a completed one is corrected.
 */
export function resultsRefusal(v: { kind: VisitKind; status: VisitStatus; date: string | null }, today: string): string | null {
  const label = VISIT_STATUS_LABELS[v.status];
  if (INACTIVE_STATES.includes(v.status)) return `「${label}」の訪問には実績を入力できません。`;
  const open = transitionFrom("complete", trackOf(v.kind)).includes(v.status);
  if (!open && !DONE_STATES.includes(v.status)) {
    return trackOf(v.kind) === "group"
      ? `「${label}」の訪問には、まだ実績を入力できません。市の承認で確定した訪問だけ入力できます。`
      : `「${label}」の予定には、まだ実績を入力できません。市と合意した予定だけ入力できます。`;
  }
  if (!v.date) return "訪問日が決まっていないため、実績を入力できません。";
  if (v.date > today) return `訪問日（${formatDate(v.date)}）になってから入力してください。実績は当日か、過ぎた訪問だけ入力できます。`;
  return null;
}
