/**
 * The public request form (団体向け出張申請) as one zod schema, shared by the
 * browser (react-hook-form, errors as you type) and the server action (the
 * authority). Pure: no server imports.
 *
 * Written with zod/mini, not classic zod: this module is part of the public
 * /request page's JavaScript, and classic zod alone was about 76 KiB of it
 * compressed (issue 14, docs/decisions/013). The rules and messages are the
 * same on both sides because it is one schema. For the same reason it uses
 * day arithmetic without the holiday table (app/lib/days.ts): the loader
 * sends the program's holidays in the context.
 *
 * The date and head-count rules depend on the settings and on today, so the
 * schema is built by a factory; the loader hands the same context to the page.
 */
import * as z from "zod/mini";
import { ORGANISATION_KINDS, PARKING, TIME_SLOTS } from "../../db/enums";
import { addDays, formatDate, isValidYmd } from "../lib/days";
import { containsIndividualNumber, INDIVIDUAL_NUMBER_MESSAGE } from "../lib/individual-number";
import { digitsOnly, normaliseEmailAddress, normalisePostalCode, normaliseText, toHiragana } from "../lib/normalise";
import { dayProblemWith } from "../visits/day-table";

export type RequestSchemaContext = {
  /** Today in Tokyo, YYYY-MM-DD. */
  today: string;
  minNoticeDays: number;
  programStart: string;
  programEnd: string;
  closedDates: string[];
  /** Closure days an admin opened (settings.openedDates). */
  openedDates?: string[];
  /** National holidays in the program's period (from @holiday-jp on the server); absent means none. */
  holidays?: string[];
  minApplicants: number;
  maxApplicants: number;
};

/** Field names of the form, in display order (also the only keys the server reads). */
export const REQUEST_FIELDS = [
  "organisationName",
  "organisationNameKana",
  "organisationKind",
  "postalCode",
  "address",
  "contactName",
  "phone",
  "email",
  "expectedApplicants",
  "preferredDate1",
  "preferredSlot1",
  "preferredDate2",
  "preferredSlot2",
  "preferredDate3",
  "preferredSlot3",
  "venueText",
  "parking",
  "message",
  "consent",
] as const;
export type RequestField = (typeof REQUEST_FIELDS)[number];

/** Length caps of the text fields (also used as maxLength on the inputs). */
export const REQUEST_MAX = {
  organisationName: 100,
  /** As the staff organisation form's よみがな (app/crm/organisations.server.ts). */
  organisationNameKana: 100,
  postalCode: 10,
  address: 200,
  contactName: 50,
  phone: 20,
  email: 254,
  expectedApplicants: 6,
  venueText: 200,
  message: 2000,
} as const;

/** The earliest date that may be asked for. */
export function earliestRequestDate(ctx: RequestSchemaContext): string {
  const earliest = addDays(ctx.today, Math.max(1, ctx.minNoticeDays));
  return earliest < ctx.programStart ? ctx.programStart : earliest;
}

/** Why a date cannot be chosen, or null when it can. */
export function dateProblem(ymd: string, ctx: RequestSchemaContext): string | null {
  if (!isValidYmd(ymd)) return "日付を正しく入力してください（例: 2026-12-01）。";
  const earliest = earliestRequestDate(ctx);
  if (ymd <= ctx.today) return `過去の日付や今日は選べません。${formatDate(earliest)}以降の日付を選んでください。`;
  if (ymd < addDays(ctx.today, ctx.minNoticeDays))
    return `準備のため、お申し込みから${ctx.minNoticeDays}日以上先の日付が必要です。${formatDate(earliest)}以降の日付を選んでください。`;
  // The booking rules decide (app/visits/day-table.ts, as app/visits/booking.ts applies them); this form only words them politely.
  const holidays = ctx.holidays ?? [];
  const problem = dayProblemWith(
    "group",
    ymd,
    { startsOn: ctx.programStart, endsOn: ctx.programEnd, closedDates: ctx.closedDates, openedDates: ctx.openedDates ?? [] },
    (d) => holidays.includes(d),
  );
  switch (problem?.code) {
    case undefined:
      return null;
    case "period":
      return `実施期間（${formatDate(ctx.programStart)}〜${formatDate(ctx.programEnd)}）の中の日付を選んでください。`;
    case "closure":
      return "年末年始（12月29日〜1月3日）は実施していません。別の日付を選んでください。";
    default:
      return `${formatDate(ymd)}は実施していません。別の日付を選んでください。`;
  }
}

/** 2026/12/1, ２０２６－１２－０１ … → 2026-12-01 (or the input when it cannot be read). */
export function normaliseDateInput(value: unknown): string {
  const s = String(value ?? "")
    .normalize("NFKC")
    .trim()
    .replace(/[年月/.]/g, "-")
    .replace(/日$/, "")
    .replace(/[‐‑‒–—―−ー－]/g, "-");
  const m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(s);
  return m ? `${m[1]}-${m[2].padStart(2, "0")}-${m[3].padStart(2, "0")}` : s;
}

/** Phone as people write it: NFKC, any dash → "-", spaces and brackets dropped. */
export function normalisePhoneInput(value: unknown): string {
  return String(value ?? "")
    .normalize("NFKC")
    .replace(/[‐‑‒–—―−ー－]/g, "-")
    .replace(/[\s()（）]/g, "")
    .trim();
}

const SLOT_ERROR = "時間帯（午前・午後・終日）を選んでください。";
const KIND_ERROR = "団体の種類を選んでください。";
const PARKING_ERROR = "駐車スペースの有無を選んでください（わからない場合は「要相談」）。";

const optionalString = (v: unknown) => (v == null ? "" : String(v));
/** A reading after NFKC (half-width katakana made full-width): hiragana, katakana, ー, ・ and spaces. */
const KANA_ONLY = /^[\u3041-\u3096\u309d\u309e\u30a1-\u30fe ]*$/;
const noIndividualNumber = (v: string) => !containsIndividualNumber(v);

/** zod's preprocess: `fn` first, then `schema` on its result. */
function preprocess<S extends z.ZodMiniType>(fn: (v: unknown) => unknown, schema: S) {
  return z.pipe(z.transform(fn), schema);
}

/** freeText of app/lib/validation.ts in zod/mini: normalised, trimmed, length-capped, no individual number; the same checks in the same order. */
function freeText(max: number, opts: { required?: string; multiline?: boolean } = {}) {
  const checks = [
    z.refine<string>((v) => v.length <= max, { error: `${max}文字以内で入力してください。` }),
    z.refine<string>(noIndividualNumber, { error: INDIVIDUAL_NUMBER_MESSAGE }),
  ];
  if (opts.required) checks.push(z.refine<string>((v) => v.length > 0, { error: opts.required }));
  return z
    .pipe(
      z.string({ error: opts.required ?? "入力してください。" }),
      z.transform((v: string) => (opts.multiline ? v.normalize("NFKC").replace(/\r\n/g, "\n").trim() : normaliseText(v))),
    )
    .check(...checks);
}

export function requestSchema(ctx: RequestSchemaContext) {
  const date = (label: string, required: boolean) =>
    preprocess(
      (v) => normaliseDateInput(optionalString(v)),
      z.string().check(
        z.superRefine((v: string, c) => {
          if (v === "") {
            if (required) c.addIssue({ code: "custom", message: `${label}を選んでください。` });
            return;
          }
          const problem = dateProblem(v, ctx);
          if (problem) c.addIssue({ code: "custom", message: problem });
        }),
      ),
    );
  const slot = preprocess(optionalString, z.union([z.enum(TIME_SLOTS), z.literal("")], { error: SLOT_ERROR }));

  return z.pipe(
    z
      .object({
        organisationName: freeText(REQUEST_MAX.organisationName, { required: "団体名を入力してください。" }),
        // 団体名のよみがな: optional (absent from older forms), so staff can find the organisation by its reading.
        organisationNameKana: preprocess(
          optionalString,
          freeText(REQUEST_MAX.organisationNameKana).check(
            z.refine<string>((v) => KANA_ONLY.test(v), {
              error: "団体名のよみがなは、ひらがなかカタカナで入力してください（例: みなとちょうないかい）。わからない場合は空欄のままでかまいません。",
            }),
          ),
        ),
        organisationKind: preprocess(optionalString, z.enum(ORGANISATION_KINDS, { error: KIND_ERROR })),
        postalCode: preprocess(
          optionalString,
          z.pipe(
            z
              .string()
              .check(
                z.refine((v: string) => digitsOnly(v).length > 0, { error: "郵便番号を入力してください（例: 030-0801）。" }),
                z.refine((v: string) => v.length <= 20 && normalisePostalCode(v) !== "", { error: "郵便番号は7桁の数字で入力してください（例: 030-0801）。" }),
              ),
            z.transform((v: string) => normalisePostalCode(v)),
          ),
        ),
        address: freeText(REQUEST_MAX.address, { required: "所在地を入力してください。" }),
        contactName: freeText(REQUEST_MAX.contactName, { required: "担当者のお名前を入力してください。" }),
        phone: preprocess(
          (v) => normalisePhoneInput(v),
          z.string().check(
            z.refine((v: string) => v.length > 0, { error: "日中に連絡のつく電話番号を入力してください。" }),
            z.refine((v: string) => v.length <= REQUEST_MAX.phone && /^[\d-]+$/.test(v) && /^0\d{9,10}$/.test(digitsOnly(v)), {
              error: "電話番号は市外局番から、10桁または11桁の数字で入力してください（例: 017-123-4567）。",
            }),
          ),
        ),
        email: preprocess(
          (v) => normaliseEmailAddress(optionalString(v)),
          z.pipe(
            z
              .string()
              .check(
                z.minLength(1, { error: "メールアドレスを入力してください。受付番号と状況確認のリンクをお送りします。" }),
                z.maxLength(REQUEST_MAX.email, { error: "メールアドレスが長すぎます。" }),
                z.refine(noIndividualNumber, { error: INDIVIDUAL_NUMBER_MESSAGE }),
              ),
            z.email({ error: "メールアドレスの形式が正しくありません（例: taro@example.jp）。" }),
          ),
        ),
        expectedApplicants: preprocess(
          (v) => optionalString(v).normalize("NFKC").replace(/[\s,人名約]/g, "").slice(0, 12),
          z
            .pipe(
              z
                .string()
                .check(
                  z.minLength(1, { error: "申請を希望される人数（おおよそ）を数字で入力してください。" }),
                  z.refine((v: string) => /^\d+$/.test(v), { error: "人数は数字で入力してください（例: 20）。" }),
                ),
              z.transform((v: string) => Number(v)),
            )
            .check(
              z.refine((n: number) => n >= ctx.minApplicants, {
                error: `おおむね${ctx.minApplicants}人以上でお申し込みください。少人数の場合は巡回窓口や市役所の窓口をご利用ください。`,
              }),
              z.refine((n: number) => n <= ctx.maxApplicants, {
                error: `${ctx.maxApplicants}人以下で入力してください。それより多い場合は連絡事項にご記入のうえ、人数は${ctx.maxApplicants}としてください。`,
              }),
            ),
        ),
        preferredDate1: date("第1希望日", true),
        preferredSlot1: slot,
        preferredDate2: date("第2希望日", false),
        preferredSlot2: slot,
        preferredDate3: date("第3希望日", false),
        preferredSlot3: slot,
        venueText: freeText(REQUEST_MAX.venueText, { required: "会場（建物名・部屋名など）を入力してください。" }),
        parking: preprocess(optionalString, z.enum(PARKING, { error: PARKING_ERROR })),
        message: freeText(REQUEST_MAX.message, { multiline: true }),
        consent: preprocess(
          (v) => v === true || v === "on" || v === "true" || v === "1",
          z.literal(true, { error: "個人情報の取扱いをご確認のうえ、同意するにチェックを入れてください。" }),
        ),
      })
      .check(
        z.superRefine((v, c) => {
          const dates = [v.preferredDate1, v.preferredDate2, v.preferredDate3];
          const slots = [v.preferredSlot1, v.preferredSlot2, v.preferredSlot3];
          for (let i = 0; i < 3; i++) {
            if (dates[i] && !slots[i]) c.addIssue({ code: "custom", path: [`preferredSlot${i + 1}`], message: `第${i + 1}希望日の${SLOT_ERROR}` });
          }
          for (let i = 1; i < 3; i++) {
            for (let j = 0; j < i; j++) {
              if (dates[i] && dates[i] === dates[j]) {
                c.addIssue({
                  code: "custom",
                  path: [`preferredDate${i + 1}`],
                  message: `第${j + 1}希望日と同じ日付です。別の日付を選ぶか、空欄にしてください。`,
                });
                break;
              }
            }
          }
        }),
      ),
    z.transform((v) => ({
      ...v,
      // Stored in hiragana, as the staff form stores it (the CRM search matches either kana).
      organisationNameKana: v.organisationNameKana ? toHiragana(v.organisationNameKana) : null,
      preferredDate2: v.preferredDate2 || null,
      preferredSlot2: v.preferredDate2 ? v.preferredSlot2 || null : null,
      preferredDate3: v.preferredDate3 || null,
      preferredSlot3: v.preferredDate3 ? v.preferredSlot3 || null : null,
      preferredSlot1: v.preferredSlot1 as (typeof TIME_SLOTS)[number],
      message: v.message || null,
    })),
  );
}

export type RequestInput = z.output<ReturnType<typeof requestSchema>>;

/** The honeypot field's name: a real person never sees or fills it. */
export const HONEYPOT_FIELD = "website";
export const IDEMPOTENCY_FIELD = "idempotencyKey";
