import { eq } from "drizzle-orm";
import { z } from "zod";
import { programs, settings } from "../db/schema";
import { getDb, type Db, type Tx } from "./db.server";

/**
 * Every tunable rule of the program, one schema each, with its default. Stored
 * as key/value rows so adding a setting needs no migration.
 */
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
  assistanceCategories: z
    .array(z.object({ key: z.string().regex(/^[a-z0-9_]+$/), label: z.string().min(1) }))
    .default([
      { key: "mynapoint", label: "マイナポイント申込" },
      { key: "health_insurance", label: "健康保険証利用申込" },
      { key: "public_funds_account", label: "公金受取口座登録" },
    ]),
  /** The car's buffers around a visit, in minutes. */
  setupMinutes: z.number().int().min(0).max(240).default(30),
  teardownMinutes: z.number().int().min(0).max(240).default(30),
  travelMinutes: z.number().int().min(0).max(240).default(30),
  /** Warn when approval is asked fewer than N days before the visit. */
  approvalWarnDays: z.number().int().min(0).max(60).default(7),
  /** Flag items waiting longer than N days. */
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

export const SETTING_LABELS: Record<SettingKey, string> = {
  minNoticeDays: "申込から訪問日までの最短日数",
  minApplicants: "申請予定人数の下限",
  maxApplicants: "申請予定人数の上限",
  cancelCutoffDays: "団体が取消できる期限（訪問日の何日前まで）",
  monthlyReportDay: "月次報告書の提出期限（翌月の日）",
  dailyReportHour: "日次報告書の提出期限（翌営業日の時）",
  completionReportDays: "完了報告書の提出期限（最終実施日から日数）",
  assistanceCategories: "その他対応の内訳",
  setupMinutes: "設営時間（分）",
  teardownMinutes: "撤去時間（分）",
  travelMinutes: "移動時間（分）",
  approvalWarnDays: "承認依頼が遅いと警告する日数",
  approvalStaleDays: "承認待ちを滞留とみなす日数",
  staleLeadDays: "活動のない見込み団体を停滞とみなす日数",
  reminderDaysBefore: "リマインドメールを送る日数（訪問日の何日前）",
  postalLookupUrl: "郵便番号検索サービスのURL",
  requestRateLimitPerHour: "申込の受付上限（1時間・1アドレスあたり）",
  closedDates: "実施しない日",
  openedDates: "年末年始でも実施する日（管理者が開ける日）",
  headcountReapprovalPercent: "確定後の人数変更で市の再承認が必要になる増減の割合（%）",
  priorityWeights: "優先度の重み",
};

export function getSettings(db: Db | Tx = getDb()): Settings {
  const rows = db.select().from(settings).all();
  const stored = Object.fromEntries(rows.map((r) => [r.key, r.value]));
  const parsed = SETTINGS_SCHEMA.safeParse(stored);
  if (parsed.success) return parsed.data;
  // A bad stored value must not take the app down: fall back key by key.
  const defaults = SETTINGS_SCHEMA.parse({});
  const result: Record<string, unknown> = { ...defaults };
  for (const key of Object.keys(defaults) as SettingKey[]) {
    const one = SETTINGS_SCHEMA.shape[key].safeParse(stored[key]);
    if (one.success) result[key] = one.data;
  }
  return result as Settings;
}

export function saveSettings(tx: Tx, values: Partial<Settings>, userId: number | null) {
  for (const [key, value] of Object.entries(values)) {
    tx.insert(settings)
      .values({ key, value, updatedById: userId })
      .onConflictDoUpdate({ target: settings.key, set: { value, updatedById: userId, updatedAt: new Date().toISOString() } })
      .run();
  }
}

/** The active program (業務期間). */
export function getActiveProgram(db: Db | Tx = getDb()) {
  return db.select().from(programs).where(eq(programs.active, true)).get();
}

const NUMBER_KEYS = [
  "minNoticeDays",
  "minApplicants",
  "maxApplicants",
  "cancelCutoffDays",
  "monthlyReportDay",
  "dailyReportHour",
  "completionReportDays",
  "setupMinutes",
  "teardownMinutes",
  "travelMinutes",
  "approvalWarnDays",
  "approvalStaleDays",
  "staleLeadDays",
  "reminderDaysBefore",
  "requestRateLimitPerHour",
  "headcountReapprovalPercent",
] as const satisfies readonly SettingKey[];
export const SETTINGS_NUMBER_KEYS = NUMBER_KEYS;

export const programSchema = z
  .object({
    name: z.string().trim().min(1, { error: "業務名を入力してください。" }).max(100),
    startsOn: z.iso.date({ error: "開始日を選んでください。" }),
    endsOn: z.iso.date({ error: "終了日を選んでください。" }),
    targetGroupVisits: z.coerce.number().int().min(0).max(10000),
    targetRoamingVisits: z.coerce.number().int().min(0).max(10000),
    targetBaseAccept: z.coerce.number().int().min(0).max(10000),
    targetBaseSupport: z.coerce.number().int().min(0).max(10000),
    targetSupportCombined: z.coerce.number().int().min(0).max(10000),
  })
  .refine((p) => p.startsOn <= p.endsOn, { error: "終了日は開始日以降にしてください。", path: ["endsOn"] });

/**
 * Read the admin settings form. Lists are one item per line; errors are
 * keyed by field name with a message that says how to fix it.
 */
export function parseSettingsForm(form: FormData):
  | { ok: true; settings: Partial<Settings>; program: z.infer<typeof programSchema> }
  | { ok: false; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  for (const key of NUMBER_KEYS) {
    const raw = String(form.get(key) ?? "").normalize("NFKC").trim();
    const parsed = SETTINGS_SCHEMA.shape[key].safeParse(raw === "" ? undefined : Number(raw));
    if (!parsed.success || raw === "") errors[key] = "範囲内の整数を入力してください。";
    else values[key] = parsed.data;
  }
  const url = String(form.get("postalLookupUrl") ?? "").trim();
  if (!/^https?:\/\//.test(url)) errors.postalLookupUrl = "http:// または https:// で始まるURLを入力してください。";
  else values.postalLookupUrl = url;

  const categories = String(form.get("assistanceCategories") ?? "")
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean)
    .map((line) => {
      const [key, ...label] = line.split(/[:：]/);
      return { key: key.trim(), label: label.join(":").trim() };
    });
  const cat = SETTINGS_SCHEMA.shape.assistanceCategories.safeParse(categories);
  if (!cat.success || categories.some((c) => !c.label)) errors.assistanceCategories = "1行に1つ「半角英小文字のキー:表示名」の形で入力してください（例: mynapoint:マイナポイント申込）。";
  else values.assistanceCategories = cat.data;

  const dates = String(form.get("closedDates") ?? "")
    .split(/[\s,、]+/)
    .map((d) => d.normalize("NFKC").trim())
    .filter(Boolean);
  const closed = SETTINGS_SCHEMA.shape.closedDates.safeParse(dates);
  if (!closed.success) errors.closedDates = "日付は 2026-12-28 の形で、1行に1つ入力してください。";
  else values.closedDates = closed.data;

  const openedDates = String(form.get("openedDates") ?? "")
    .split(/[\s,、]+/)
    .map((d) => d.normalize("NFKC").trim())
    .filter(Boolean);
  const opened = SETTINGS_SCHEMA.shape.openedDates.safeParse(openedDates);
  if (!opened.success || opened.data.some((d) => !/-(12-(29|30|31)|01-0[1-3])$/.test(d))) {
    errors.openedDates = "年末年始（12月29日〜1月3日）の日付を 2026-12-29 の形で、1行に1つ入力してください。";
  } else values.openedDates = opened.data;

  const weights = {
    kind: Object.fromEntries(
      ["company", "neighbourhood", "welfare", "school", "medical", "other"].map((k) => [k, Number(String(form.get(`weight.kind.${k}`) ?? "").normalize("NFKC"))]),
    ),
    headCount: Number(form.get("weight.headCount")),
    districtGap: Number(form.get("weight.districtGap")),
    recency: Number(form.get("weight.recency")),
    yield: Number(form.get("weight.yield")),
  };
  const w = SETTINGS_SCHEMA.shape.priorityWeights.safeParse(weights);
  if (!w.success) errors.priorityWeights = "重みは0から10までの数で入力してください。";
  else values.priorityWeights = w.data;

  if (typeof values.minApplicants === "number" && typeof values.maxApplicants === "number" && values.minApplicants > values.maxApplicants) {
    errors.maxApplicants = "上限は下限以上にしてください。";
  }

  const program = programSchema.safeParse(Object.fromEntries(form));
  if (!program.success) {
    for (const issue of program.error.issues) errors[`program.${String(issue.path[0])}`] = issue.message;
  }
  if (Object.keys(errors).length > 0 || !program.success) return { ok: false, errors };
  return { ok: true, settings: values as Partial<Settings>, program: program.data };
}
