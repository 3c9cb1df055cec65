/** 地区: population and cards issued (feed the priority score), with CSV import. */
import { sql } from "drizzle-orm";
import { districts } from "../../db/schema";
import { audit } from "../audit.server";
import { getDb, writeTransaction, type Db } from "../db.server";
import { digitsOnly, normaliseText, toHiragana } from "../lib/normalise";
import { decodeCsvSliced, findIndividualNumberCells, individualNumberFileMessage, parseCsvSliced, TimeSlicer } from "./csv.server";

export function listDistricts(db: Db = getDb()) {
  const rows = db.$client
    .prepare(
      `select d.id, d.name, d.name_kana as nameKana, d.population, d.cards_issued as cardsIssued, d.updated_at as updatedAt,
              (select count(*) from organisations o where o.district_id = d.id and o.merged_into_id is null) as organisations
       from districts d order by d.id`,
    )
    .all() as { id: number; name: string; nameKana: string | null; population: number; cardsIssued: number; updatedAt: string; organisations: number }[];
  return rows.map((r) => ({ ...r, rate: r.population > 0 ? r.cardsIssued / r.population : null }));
}

const HEADER_GUESS = {
  name: ["地区", "地区名", "名称", "district", "name"],
  nameKana: ["よみ", "よみがな", "ふりがな", "フリガナ", "読み", "kana"],
  population: ["人口", "住民数", "population"],
  cardsIssued: ["交付枚数", "交付数", "交付件数", "カード交付枚数", "cards", "cardsissued"],
} as const;

function findColumn(headers: string[], names: readonly string[]) {
  const norm = headers.map((h) => normaliseText(h).replace(/\s/g, "").toLowerCase());
  return norm.findIndex((h) => names.some((n) => h === n.toLowerCase()));
}

export type DistrictImportResult =
  | { ok: true; created: number; updated: number }
  | { ok: false; message: string; errors: { row: number; message: string }[] };

/**
 * Import districts from CSV (地区, 人口, 交付枚数; よみ optional): upsert by name,
 * all or nothing, so a bad row never leaves half the table updated. A file
 * with an individual number in any cell is refused before anything is read
 * into the table.
 */
export async function importDistricts(bytes: Uint8Array, userId: number | null): Promise<DistrictImportResult> {
  const slicer = new TimeSlicer();
  const { text } = await decodeCsvSliced(bytes, slicer);
  const { headers, rows } = await parseCsvSliced(text, { slicer });
  const found = await findIndividualNumberCells(headers, rows, { slicer });
  if (found.total > 0) return { ok: false, message: individualNumberFileMessage(found), errors: [] };
  const col = {
    name: findColumn(headers, HEADER_GUESS.name),
    nameKana: findColumn(headers, HEADER_GUESS.nameKana),
    population: findColumn(headers, HEADER_GUESS.population),
    cardsIssued: findColumn(headers, HEADER_GUESS.cardsIssued),
  };
  if (col.name < 0 || col.population < 0 || col.cardsIssued < 0) {
    return {
      ok: false,
      message: "1行目に「地区」「人口」「交付枚数」の見出しが必要です（「よみ」は任意）。見出しを確認してもう一度取り込んでください。",
      errors: [],
    };
  }
  if (rows.length === 0) return { ok: false, message: "データの行がありません。", errors: [] };
  const errors: { row: number; message: string }[] = [];
  const values: { name: string; nameKana: string | null; population: number; cardsIssued: number }[] = [];
  const seen = new Set<string>();
  rows.forEach((r, i) => {
    const line = i + 2;
    const name = normaliseText(r[col.name]);
    const popText = digitsOnly(r[col.population]);
    const cardText = digitsOnly(r[col.cardsIssued]);
    if (!name) return errors.push({ row: line, message: "地区名が空です。" });
    if (seen.has(name)) return errors.push({ row: line, message: `地区「${name}」が2回出てきます。` });
    seen.add(name);
    if (!popText) return errors.push({ row: line, message: "人口を数字で入力してください。" });
    if (!cardText) return errors.push({ row: line, message: "交付枚数を数字で入力してください。" });
    const population = Number(popText);
    const cardsIssued = Number(cardText);
    if (cardsIssued > population) return errors.push({ row: line, message: `交付枚数（${cardsIssued}）が人口（${population}）を超えています。` });
    values.push({ name, nameKana: col.nameKana >= 0 && r[col.nameKana] ? toHiragana(normaliseText(r[col.nameKana])) : null, population, cardsIssued });
  });
  if (errors.length) return { ok: false, message: `${errors.length}行に誤りがあります。直してからもう一度取り込んでください（何も変更していません）。`, errors };
  const existing = new Set(getDb().select({ name: districts.name }).from(districts).all().map((d) => d.name));
  writeTransaction((tx) => {
    const now = new Date().toISOString();
    for (const v of values) {
      tx.insert(districts)
        .values({ ...v, updatedAt: now })
        .onConflictDoUpdate({
          target: districts.name,
          set: { population: v.population, cardsIssued: v.cardsIssued, nameKana: sql`coalesce(excluded.name_kana, ${districts.nameKana})`, updatedAt: now },
        })
        .run();
    }
    audit({ userId, action: "crm.districts_import", entity: "district", detail: { rows: values.length } }, tx);
  });
  const created = values.filter((v) => !existing.has(v.name)).length;
  return { ok: true, created, updated: values.length - created };
}
