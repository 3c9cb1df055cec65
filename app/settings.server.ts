import { eq } from "drizzle-orm";
import { programs, settings } from "../db/schema";
import { audit } from "./audit.server";
import { getDb, writeTransaction, type Db, type Tx } from "./db.server";
import { programSchema, SETTINGS_LIST_KEYS, SETTINGS_NUMBER_KEYS, SETTINGS_SCHEMA, type ProgramInput, type SettingKey, type SettingListKey, type Settings } from "./settings";

// Server code keeps importing the plain parts from here as before.
export * from "./settings";

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

/**
 * Save what the admin entered on /admin/settings in one transaction: the rules,
 * and the active program (created when there is none yet). Audited.
 */
export function saveSettingsForm(input: { settings: Partial<Settings>; program: ProgramInput }, userId: number) {
  writeTransaction((tx) => {
    saveSettings(tx, input.settings, userId);
    const program = getActiveProgram(tx);
    if (program) tx.update(programs).set(input.program).where(eq(programs.id, program.id)).run();
    else tx.insert(programs).values({ ...input.program, fiscalYear: Number(input.program.startsOn.slice(0, 4)) }).run();
    audit({ userId, action: "settings.updated", entity: "settings", detail: { keys: Object.keys(input.settings) } }, tx);
  });
}

/**
 * Read the admin settings form. Lists are one item per line; errors are
 * keyed by field name with a message that says how to fix it.
 */
export function parseSettingsForm(form: FormData):
  | { ok: true; settings: Partial<Settings>; program: ProgramInput }
  | { ok: false; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  for (const key of SETTINGS_NUMBER_KEYS) {
    const raw = String(form.get(key) ?? "").normalize("NFKC").trim();
    const parsed = SETTINGS_SCHEMA.shape[key].safeParse(raw === "" ? undefined : Number(raw));
    if (!parsed.success || raw === "") errors[key] = "範囲内の整数を入力してください。";
    else values[key] = parsed.data;
  }
  const url = String(form.get("postalLookupUrl") ?? "").trim();
  if (!/^https?:\/\//.test(url)) errors.postalLookupUrl = "http:// または https:// で始まるURLを入力してください。";
  else values.postalLookupUrl = url;

  for (const key of ["windowPhone", "windowHours", "windowAddress"] as const) {
    const parsed = SETTINGS_SCHEMA.shape[key].safeParse(String(form.get(key) ?? ""));
    if (!parsed.success) errors[key] = parsed.error.issues[0]?.message ?? "入力内容を確認してください。";
    else values[key] = parsed.data;
  }

  for (const key of Object.keys(SETTINGS_LIST_KEYS) as SettingListKey[]) {
    const items = String(form.get(key) ?? "")
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter(Boolean)
      .map((line) => {
        const [k, ...label] = line.split(/[:：]/);
        return { key: k.trim(), label: label.join(":").trim() };
      });
    const parsed = SETTINGS_SCHEMA.shape[key].safeParse(items);
    if (!parsed.success || items.some((c) => !c.label) || items.length === 0) {
      errors[key] = "1行に1つ「半角英小文字のキー:表示名」の形で、重複しないキーで入力してください（例: mynapoint:マイナポイント申込）。";
    } else values[key] = parsed.data;
  }

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
