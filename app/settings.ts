/**
 * The program's tunable rules as plain data: schema with defaults, labels and
 * which keys are numbers. Browser-safe (no database, no Node); reading and
 * writing the stored values lives in settings.server.ts. Route components
 * import the labels from settings-labels.ts and the window contact from
 * lib/window-contact.ts instead (re-exported here), so that the browser never
 * loads classic zod for them (issue 14).
 */
import { freeText } from "./lib/validation";
import { DEFAULT_WINDOW_CONTACT } from "./lib/window-contact";
import { z } from "zod";

export { DEFAULT_WINDOW_CONTACT, telHref, windowContactOf, type WindowContact } from "./lib/window-contact";
export { SETTING_LABELS, SETTINGS_LIST_KEYS, SETTINGS_NUMBER_KEYS, type SettingListKey } from "./settings-labels";

/**
 * Every tunable rule of the program, one schema each, with its default. Stored
 * as key/value rows so adding a setting needs no migration.
 */
/** A list of `key:label` items (categories, kit, reasons): keys are stable codes stored in records, labels may change. */
function keyedList() {
  return z
    .array(z.object({ key: z.string().regex(/^[a-z0-9_]+$/), label: freeText(40, { required: "表示名を入力してください。" }) }))
    .refine((items) => new Set(items.map((i) => i.key)).size === items.length, { error: "キーが重複しています。" });
}

export const SETTINGS_SCHEMA = z.object({
  /** 申込から訪問日までの最短日数 */
  minNoticeDays: z.number().int().min(0).max(180).default(14),
  minApplicants: z.number().int().min(1).max(1000).default(5),
  maxApplicants: z.number().int().min(1).max(10000).default(500),
  /** Organisations may cancel on the status page until this many days before. */
  cancelCutoffDays: z.number().int().min(0).max(60).default(3),
  /** 月次報告書の提出期限 (翌月の N 日). Aomori: 10, seed 003: 5. */
  monthlyReportDay: z.number().int().min(1).max(28).default(10),
  /** 日次報告書: 翌営業日の N 時まで. */
  dailyReportHour: z.number().int().min(0).max(23).default(18),
  /** 完了報告書: 最終実施日から N 日以内. */
  completionReportDays: z.number().int().min(1).max(120).default(30),
  /** その他対応件数の内訳. */
  assistanceCategories: keyedList().default([
      { key: "mynapoint", label: "マイナポイント申込" },
      { key: "health_insurance", label: "健康保険証利用申込" },
      { key: "public_funds_account", label: "公金受取口座登録" },
    ]),
  /** 持ち物チェック: the kit ticked off before departure. */
  kitItems: keyedList().default([
    { key: "terminals", label: "申請用端末（タブレット）" },
    { key: "camera", label: "顔写真撮影用カメラ" },
    { key: "printer", label: "プリンター・用紙" },
    { key: "wifi", label: "モバイルWi-Fiルーター" },
    { key: "signage", label: "のぼり・案内看板" },
    { key: "mail_forms", label: "郵送申請用の申請書・返信用封筒" },
  ]),
  /** 問合せの分類 (inquiry log, completion report). */
  inquiryCategories: keyedList().default([
    { key: "how_to_apply", label: "申請方法" },
    { key: "documents", label: "必要書類・本人確認" },
    { key: "pickup", label: "カードの受取" },
    { key: "schedule", label: "日程・会場" },
    { key: "mynaportal", label: "マイナポータル・各種登録" },
    { key: "other", label: "その他" },
  ]),
  /** 受付方式からサポート方式への切替理由. */
  fallbackReasons: keyedList().default([
    { key: "id_incomplete", label: "本人確認書類が不足" },
    { key: "no_notice_card", label: "通知カード等が不足" },
    { key: "proxy", label: "代理人での来場" },
    { key: "other", label: "その他" },
  ]),
  /** 現場写真の上限（MB）. */
  photoMaxMegabytes: z.number().int().min(1).max(50).default(10),
  /** The car's buffers around a visit, in minutes. */
  setupMinutes: z.number().int().min(0).max(240).default(30),
  teardownMinutes: z.number().int().min(0).max(240).default(30),
  travelMinutes: z.number().int().min(0).max(240).default(30),
  /** Warn when approval is asked fewer than N days before the visit. */
  approvalWarnDays: z.number().int().min(0).max(60).default(7),
  /** Flag items waiting longer than N business days (営業日). */
  approvalStaleDays: z.number().int().min(1).max(60).default(3),
  /** A lead with no activity for N days is stale. */
  staleLeadDays: z.number().int().min(1).max(365).default(30),
  /** Reminder email N days before the visit. */
  reminderDaysBefore: z.number().int().min(0).max(30).default(3),
  postalLookupUrl: z.string().url().default("https://zipcloud.ibsnet.co.jp/api/search"),
  /** Public request submissions per IP address per hour. */
  requestRateLimitPerHour: z.number().int().min(1).max(1000).default(10),
  /** Extra days the program does not run (besides the year-end closure 12/29–1/3). */
  closedDates: z.array(z.string().regex(/^\d{4}-\d{2}-\d{2}$/)).default([]),
  /** Days of the year-end closure (12/29–1/3) an admin opens for sessions after all. */
  openedDates: z.array(z.string().regex(/^\d{4}-\d{2}-\d{2}$/)).default([]),
  /** An approved visit's head-count may move by up to this share (%) without the city deciding again. */
  headcountReapprovalPercent: z.number().int().min(0).max(1000).default(50),
  /** 窓口の電話番号: shown wherever the site says 窓口までお電話ください (public pages, emails, error pages). */
  windowPhone: z
    .string()
    .transform((v) => v.normalize("NFKC").trim())
    .refine((v) => /^0\d{1,4}-?\d{1,4}-?\d{3,4}$/.test(v) && v.replace(/\D/g, "").length >= 10 && v.replace(/\D/g, "").length <= 11, {
      error: "電話番号は 017-734-0000 の形で、市外局番から入力してください。",
    })
    .default(DEFAULT_WINDOW_CONTACT.windowPhone),
  /** 窓口の受付時間. */
  windowHours: freeText(100, { required: "受付時間を入力してください（例: 平日 8:30〜17:15）。" }).default(DEFAULT_WINDOW_CONTACT.windowHours),
  /** 窓口の所在地. */
  windowAddress: freeText(100, { required: "所在地を入力してください。" }).default(DEFAULT_WINDOW_CONTACT.windowAddress),
  /** Priority score weights (app/crm/priority.ts). */
  priorityWeights: z
    .object({
      kind: z.record(z.string(), z.number().min(0).max(10)),
      headCount: z.number().min(0).max(10),
      districtGap: z.number().min(0).max(10),
      recency: z.number().min(0).max(10),
      yield: z.number().min(0).max(10),
    })
    .default({
      kind: { welfare: 1, neighbourhood: 0.8, company: 0.6, medical: 0.6, school: 0.5, other: 0.3 },
      headCount: 1,
      districtGap: 1,
      recency: 0.5,
      yield: 0.5,
    }),
});

export type Settings = z.infer<typeof SETTINGS_SCHEMA>;
export type SettingKey = keyof Settings;

export { labelOf } from "./lib/labels";

/** 業務期間と目標 as entered on /admin/settings. */
export const programSchema = z
  .object({
    name: freeText(100, { required: "業務名を入力してください。" }),
    startsOn: z.iso.date({ error: "開始日を選んでください。" }),
    endsOn: z.iso.date({ error: "終了日を選んでください。" }),
    targetGroupVisits: z.coerce.number().int().min(0).max(10000),
    targetRoamingVisits: z.coerce.number().int().min(0).max(10000),
    targetBaseAccept: z.coerce.number().int().min(0).max(10000),
    targetBaseSupport: z.coerce.number().int().min(0).max(10000),
    targetSupportCombined: z.coerce.number().int().min(0).max(10000),
  })
  .refine((p) => p.startsOn <= p.endsOn, { error: "終了日は開始日以降にしてください。", path: ["endsOn"] });

export type ProgramInput = z.infer<typeof programSchema>;
