/**
 * CSV import of organisations: upload → column mapping and preview → a job
 * that works through the file in chunks (each chunk one transaction) while the
 * page polls its progress. Duplicates (same search key and phone as an
 * existing organisation) are skipped and listed, never merged silently.
 *
 * A file with an individual number (マイナンバー) in any cell, mapped or not,
 * is refused at upload before anything is kept. Decoding, parsing and the
 * preview run in time slices (csv.server.ts), so a big file never holds up
 * other requests; the page shows the preview's progress.
 */
import fs from "node:fs";
import path from "node:path";
import { and, eq, isNull } from "drizzle-orm";
import { districts, importJobs, organisations, type OrganisationKind } from "../../db/schema";
import { audit } from "../audit.server";
import { databasePath, getDb, writeTransaction, type Db, type Tx } from "../db.server";
import { digitsOnly, normalisePostalCode, normaliseText, organisationSearchKey, toHiragana } from "../lib/normalise";
import { containsIndividualNumber } from "../lib/individual-number";
import { parseId } from "../lib/ids";
import { ORGANISATION_KIND_LABELS } from "../lib/labels";
import { logActivity } from "./activities.server";
import { decodeCsvSliced, findIndividualNumberCells, individualNumberFileMessage, parseCsvHeaders, parseCsvSliced, phoneFromCell, TimeSlicer, unguardCell } from "./csv.server";
import { IMPORT_FIELDS, type ImportField } from "./import-fields";

export { IMPORT_FIELDS, type ImportField };

export type Mapping = Record<ImportField, number>;

export const IMPORT_CHUNK = 500;
const MAX_LISTED_ERRORS = 2000;

const header = (h: string) => normaliseText(h).replace(/[\s()（）]/g, "").toLowerCase();

/** Guess which column feeds which field from Japanese (or English) headers. */
export function guessMapping(headers: string[]): Mapping {
  const hs = headers.map(header);
  const used = new Set<number>();
  const out = {} as Mapping;
  for (const [field, def] of Object.entries(IMPORT_FIELDS) as [ImportField, (typeof IMPORT_FIELDS)[ImportField]][]) {
    const guesses = def.guesses.map((g) => header(g));
    let idx = hs.findIndex((h, i) => !used.has(i) && guesses.includes(h));
    // The ID is taken only from a header that says exactly that (a "paid" or "団体ID2" column is something else).
    if (idx < 0 && field !== "id") idx = hs.findIndex((h, i) => !used.has(i) && guesses.some((g) => g.length >= 2 && h.includes(g)));
    if (idx >= 0) used.add(idx);
    out[field] = idx;
  }
  return out;
}

export function mappingFrom(params: URLSearchParams | FormData, columns: number, fallback: Mapping): Mapping {
  const out = { ...fallback };
  for (const field of Object.keys(IMPORT_FIELDS) as ImportField[]) {
    const raw = params.get(`map.${field}`);
    if (raw === null) continue;
    const n = Number(raw);
    out[field] = Number.isInteger(n) && n >= 0 && n < columns ? n : -1;
  }
  return out;
}

const KIND_WORDS: [OrganisationKind, RegExp][] = [
  ["welfare", /福祉|介護|老人|障害|障がい|デイ|グループホーム|特養|welfare/i],
  ["neighbourhood", /町内会|自治会|町会|地区会|neighbourhood/i],
  ["school", /学校|保育|幼稚園|こども園|大学|school/i],
  ["medical", /医療|病院|クリニック|診療所|歯科|medical/i],
  ["company", /企業|会社|事業所|法人|商店|company/i],
  ["other", /その他|other/i],
];

export function parseKind(value: string): OrganisationKind | null {
  const v = normaliseText(value);
  if (!v) return "other";
  // The labels the export writes (and the request form shows) first.
  const labelled = (Object.entries(ORGANISATION_KIND_LABELS) as [OrganisationKind, string][]).find(([, label]) => normaliseText(label) === v);
  if (labelled) return labelled[0];
  for (const [kind, re] of KIND_WORDS) if (re.test(v) || v === kind) return kind;
  return null;
}

type DistrictIndex = Map<string, number>;
function districtIndex(db: Db | Tx): DistrictIndex {
  const m: DistrictIndex = new Map();
  for (const d of db.select({ id: districts.id, name: districts.name }).from(districts).all()) {
    const n = normaliseText(d.name);
    m.set(n, d.id);
    m.set(n.replace(/地区$/, ""), d.id);
  }
  return m;
}

export type ImportRow = {
  name: string;
  nameKana: string | null;
  searchKey: string;
  kind: OrganisationKind;
  districtId: number | null;
  postalCode: string | null;
  address: string | null;
  phone: string | null;
  phoneKey: string | null;
  email: string | null;
  headCount: number | null;
  expectedApplicants: number | null;
  notes: string | null;
};

/** Check and normalise one CSV row; errors say how to fix the cell. */
export function validateRow(cells: string[], m: Mapping, districtsByName: DistrictIndex): { ok: true; row: ImportRow } | { ok: false; message: string } {
  // unguardCell: our own export's formula guard comes off again (only where the export added it).
  const get = (f: ImportField) => (m[f] >= 0 ? normaliseText(unguardCell(cells[m[f]] ?? "")) : "");
  const name = get("name");
  if (!name) return { ok: false, message: "団体名が空です。" };
  if (name.length > 100) return { ok: false, message: "団体名が長すぎます（100文字以内）。" };
  const all = Object.keys(IMPORT_FIELDS).map((f) => get(f as ImportField));
  if (all.some((v) => containsIndividualNumber(v))) return { ok: false, message: "マイナンバー（個人番号）と思われる数字が含まれています。削除してください。" };
  const kind = parseKind(get("kind"));
  if (!kind) return { ok: false, message: `種類「${get("kind")}」が分かりません（企業・町内会・福祉施設・学校・医療機関・その他のいずれか）。` };
  const postalRaw = get("postalCode");
  const postalCode = postalRaw ? normalisePostalCode(postalRaw) : null;
  if (postalRaw && !postalCode) return { ok: false, message: `郵便番号「${postalRaw}」は7桁の数字にしてください。` };
  const phone = phoneFromCell(get("phone")) || null;
  const phoneKey = phone ? digitsOnly(phone) : null;
  if (phone && (phoneKey!.length < 10 || phoneKey!.length > 11)) return { ok: false, message: `電話番号「${phone}」は市外局番から10〜11桁にしてください。` };
  const email = get("email").toLowerCase() || null;
  if (email && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) return { ok: false, message: `メール「${email}」の形式が正しくありません。` };
  const num = (f: ImportField) => {
    const raw = get(f).replace(/[,，人名]/g, "");
    if (!raw) return { value: null as number | null };
    const n = Number(raw);
    return Number.isInteger(n) && n >= 0 && n <= 1_000_000 ? { value: n } : { error: `${IMPORT_FIELDS[f].label}「${get(f)}」は0以上の整数にしてください。` };
  };
  const head = num("headCount");
  if ("error" in head) return { ok: false, message: head.error! };
  const expected = num("expectedApplicants");
  if ("error" in expected) return { ok: false, message: expected.error! };
  const districtName = get("district");
  let districtId: number | null = null;
  if (districtName) {
    districtId = districtsByName.get(districtName) ?? districtsByName.get(districtName.replace(/地区$/, "")) ?? null;
    if (!districtId) return { ok: false, message: `地区「${districtName}」が登録されていません（地区の画面で確認してください）。` };
  }
  const kana = get("nameKana");
  return {
    ok: true,
    row: {
      name,
      nameKana: kana ? toHiragana(kana) : null,
      searchKey: organisationSearchKey(name),
      kind,
      districtId,
      postalCode,
      address: get("address") || null,
      phone,
      phoneKey,
      email,
      headCount: head.value ?? null,
      expectedApplicants: expected.value ?? null,
      notes: get("notes") || null,
    },
  };
}

/**
 * The registered organisation a row names by its ID (the organisation list's
 * export writes it), when the name agrees too, with the mapped fields that
 * differ after the import's own normalisation. Null: the row names none (an
 * unknown ID, a merged organisation, or another organisation's name: another
 * system's numbering, so the row is treated as new).
 */
export function registeredMatch(db: Db | Tx, cells: string[], m: Mapping, row: ImportRow): { id: number; name: string; differences: string[] } | null {
  if (m.id < 0) return null;
  const id = parseId(normaliseText(cells[m.id] ?? ""));
  if (id == null) return null;
  const org = db.select().from(organisations).where(and(eq(organisations.id, id), isNull(organisations.mergedIntoId))).get();
  if (!org || org.searchKey !== row.searchKey) return null;
  const text = (v: string | null) => normaliseText(v) || null;
  const same: Partial<Record<ImportField, boolean>> = {
    name: text(org.name) === row.name,
    nameKana: (org.nameKana ? toHiragana(normaliseText(org.nameKana)) : null) === row.nameKana,
    kind: org.kind === row.kind,
    district: (org.districtId ?? null) === row.districtId,
    postalCode: (org.postalCode ? normalisePostalCode(org.postalCode) || org.postalCode : null) === row.postalCode,
    address: text(org.address) === row.address,
    phone: text(org.phone) === row.phone,
    email: (text(org.email)?.toLowerCase() ?? null) === row.email,
    headCount: (org.headCount ?? null) === row.headCount,
    expectedApplicants: (org.expectedApplicants ?? null) === row.expectedApplicants,
    notes: text(org.notes) === row.notes,
  };
  const differences = (Object.keys(same) as ImportField[]).filter((f) => m[f] >= 0 && !same[f]).map((f) => IMPORT_FIELDS[f].label);
  return { id: org.id, name: org.name, differences };
}

/** Why a registered organisation's row is not imported: the import never rewrites one. */
export function registeredDiffersMessage(match: { id: number; name: string; differences: string[] }): string {
  return `登録済みの団体（ID ${match.id}「${match.name}」）と${match.differences.join("・")}が違います。CSV取込では登録済みの団体を書き換えません。変更は団体の画面で行ってください。`;
}

/** An existing organisation with the same search key and phone (the duplicate rule). */
export function findDuplicate(db: Db | Tx, searchKey: string, phoneKey: string | null) {
  if (!phoneKey) return undefined;
  return db
    .select({ id: organisations.id, name: organisations.name })
    .from(organisations)
    .where(and(eq(organisations.searchKey, searchKey), eq(organisations.phoneKey, phoneKey), isNull(organisations.mergedIntoId)))
    .get();
}

function sameName(db: Db | Tx, searchKey: string) {
  return db
    .select({ id: organisations.id })
    .from(organisations)
    .where(and(eq(organisations.searchKey, searchKey), isNull(organisations.mergedIntoId)))
    .get();
}

function importDir() {
  return path.join(path.dirname(path.resolve(databasePath())), "imports");
}
function jobFile(jobId: number) {
  return path.join(importDir(), `${jobId}.csv`);
}

/**
 * Step 1: check the uploaded file and keep it (decoded) with a job in
 * "preview". Nothing is kept when any cell holds an individual number.
 */
export async function createImportJob(bytes: Uint8Array, fileName: string, userId: number) {
  const slicer = new TimeSlicer();
  const { text, encoding } = await decodeCsvSliced(bytes, slicer);
  const { headers, rows } = await parseCsvSliced(text, { slicer });
  const found = await findIndividualNumberCells(headers, rows, { slicer });
  if (found.total > 0) return { ok: false as const, message: individualNumberFileMessage(found) };
  if (headers.length === 0) return { ok: false as const, message: "CSVが空です。1行目に見出し、2行目からデータのあるファイルを選んでください。" };
  if (rows.length === 0) return { ok: false as const, message: "データの行がありません（1行目は見出しとして扱います）。" };
  // The file name is typed by a person too.
  const name = containsIndividualNumber(fileName) ? "import.csv" : fileName.slice(0, 200);
  const db = getDb();
  const job = db.insert(importJobs).values({ userId, fileName: name, status: "preview", totalRows: rows.length }).returning({ id: importJobs.id }).get();
  fs.mkdirSync(importDir(), { recursive: true });
  await fs.promises.writeFile(jobFile(job.id), text, "utf8");
  return { ok: true as const, jobId: job.id, encoding };
}

export function getImportJob(jobId: number, db: Db = getDb()) {
  return db.select().from(importJobs).where(eq(importJobs.id, jobId)).get();
}

async function readJobCsv(jobId: number, opts: { slicer?: TimeSlicer; onProgress?: (fraction: number) => void } = {}) {
  const file = jobFile(jobId);
  if (!fs.existsSync(file)) return null;
  return parseCsvSliced(await fs.promises.readFile(file, "utf8"), opts);
}

/** The header row alone (for the start step, which only needs the columns). */
async function readJobHeaders(jobId: number): Promise<string[] | null> {
  const file = jobFile(jobId);
  if (!fs.existsSync(file)) return null;
  return parseCsvHeaders(await fs.promises.readFile(file, "utf8"));
}

export type ImportPreview = {
  headers: string[];
  mapping: Mapping;
  sample: { row: number; values: ImportRow | null; message: string | null; duplicateOf: string | null }[];
  willCreate: number;
  /** Rows naming a registered organisation (by ID and name) with nothing different: skipped, nothing to do. */
  unchanged: number;
  duplicates: number;
  errorCount: number;
  errors: { row: number; message: string }[];
};

/** Existing organisations by the duplicate rule's key (search key + phone), the first (lowest id) of each. */
function duplicateIndex(db: Db): Map<string, { id: number; name: string }> {
  const rows = db.$client
    .prepare("select id, name, search_key as searchKey, phone_key as phoneKey from organisations where merged_into_id is null and phone_key is not null order by id")
    .all() as { id: number; name: string; searchKey: string; phoneKey: string }[];
  const m = new Map<string, { id: number; name: string }>();
  for (const r of rows) {
    const key = `${r.searchKey}|${r.phoneKey}`;
    if (!m.has(key)) m.set(key, { id: r.id, name: r.name });
  }
  return m;
}

/**
 * Step 2: headers, guessed mapping, and what would happen to each row. Runs in
 * time slices; onProgress gets 0…1 (reading the file is the first half,
 * checking the rows the second).
 */
export async function previewImport(
  jobId: number,
  mappingParams: URLSearchParams | null,
  opts: { onProgress?: (fraction: number) => void } = {},
): Promise<ImportPreview | null> {
  const slicer = new TimeSlicer();
  const csv = await readJobCsv(jobId, { slicer, onProgress: (f) => opts.onProgress?.(f / 2) });
  if (!csv) return null;
  const db = getDb();
  const guessed = guessMapping(csv.headers);
  const mapping = mappingParams ? mappingFrom(mappingParams, csv.headers.length, guessed) : guessed;
  const dIndex = districtIndex(db);
  const existing = duplicateIndex(db);
  let willCreate = 0;
  let unchanged = 0;
  let duplicates = 0;
  const errors: { row: number; message: string }[] = [];
  const sample: ImportPreview["sample"] = [];
  const seenInFile = new Map<string, number>();
  for (let i = 0; i < csv.rows.length; i++) {
    const cells = csv.rows[i];
    const line = i + 2;
    const r = mapping.name < 0 ? ({ ok: false, message: "「団体名」の列を選んでください。" } as const) : validateRow(cells, mapping, dIndex);
    let dup: string | null = null;
    const registered = r.ok ? registeredMatch(db, cells, mapping, r.row) : null;
    if (registered) {
      if (registered.differences.length === 0) unchanged++;
      else if (errors.length < 200) errors.push({ row: line, message: registeredDiffersMessage(registered) });
    } else if (r.ok) {
      const key = `${r.row.searchKey}|${r.row.phoneKey}`;
      const found = r.row.phoneKey ? existing.get(key) : undefined;
      if (found) dup = `既存の「${found.name}」`;
      else if (r.row.phoneKey && seenInFile.has(key)) dup = `このファイルの${seenInFile.get(key)}行目`;
      if (r.row.phoneKey && !seenInFile.has(key)) seenInFile.set(key, line);
      if (dup) duplicates++;
      else willCreate++;
    } else if (errors.length < 200) errors.push({ row: line, message: r.message });
    const message = !r.ok ? r.message : registered?.differences.length ? registeredDiffersMessage(registered) : registered ? `登録済み（ID ${registered.id}）・変更なし` : null;
    if (sample.length < 10) sample.push({ row: line, values: r.ok ? r.row : null, message, duplicateOf: dup });
    if (slicer.due()) {
      opts.onProgress?.(0.5 + (i + 1) / csv.rows.length / 2);
      await slicer.pause();
    }
  }
  opts.onProgress?.(1);
  const errorCount = csv.rows.length - willCreate - unchanged - duplicates;
  return { headers: csv.headers, mapping, sample, willCreate, unchanged, duplicates, errorCount, errors };
}

// Previews being worked out, so that the page can show their progress and
// pick up the result when it polls (one process; a restart just starts over).
type PreviewRun = { progress: number; promise: Promise<ImportPreview | null>; result?: ImportPreview | null; failed?: boolean; touchedAt: number };
const previewRuns = new Map<string, PreviewRun>();
const PREVIEW_KEEP_MS = 10 * 60 * 1000;

function previewKey(jobId: number, mappingParams: URLSearchParams | null) {
  const map = mappingParams ? [...mappingParams.entries()].filter(([k]) => k.startsWith("map.")).sort(([a], [b]) => a.localeCompare(b)) : [];
  return `${jobId}?${new URLSearchParams(map).toString()}`;
}

/**
 * The preview for the page: waits up to `waitMs` for it, then answers with
 * the progress so far (the page polls until it is ready).
 */
export async function awaitPreview(
  jobId: number,
  mappingParams: URLSearchParams | null,
  waitMs = 300,
): Promise<{ ready: true; preview: ImportPreview | null } | { ready: false; progress: number }> {
  const now = Date.now();
  for (const [k, run] of previewRuns) if (now - run.touchedAt > PREVIEW_KEEP_MS && run.result !== undefined) previewRuns.delete(k);
  const key = previewKey(jobId, mappingParams);
  let run = previewRuns.get(key);
  if (!run || run.failed) {
    const fresh: PreviewRun = { progress: 0, touchedAt: now, promise: Promise.resolve(null) };
    fresh.promise = previewImport(jobId, mappingParams, { onProgress: (f) => (fresh.progress = f) }).then(
      (result) => (fresh.result = result),
      (error) => {
        console.error("import preview:", error);
        fresh.failed = true;
        return null;
      },
    );
    // Other mappings of the same job are no longer wanted.
    for (const k of previewRuns.keys()) if (k.startsWith(`${jobId}?`)) previewRuns.delete(k);
    previewRuns.set(key, fresh);
    run = fresh;
  }
  run.touchedAt = now;
  if (run.result === undefined) {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([run.promise, new Promise((r) => (timer = setTimeout(r, waitMs)))]);
    clearTimeout(timer);
  }
  if (run.failed) {
    // The page then says the file is gone and asks for it again (the next look starts afresh).
    previewRuns.delete(key);
    return { ready: true, preview: null };
  }
  return run.result !== undefined ? { ready: true, preview: run.result } : { ready: false, progress: run.progress };
}

function forgetPreviews(jobId: number) {
  for (const k of previewRuns.keys()) if (k.startsWith(`${jobId}?`)) previewRuns.delete(k);
}

/** The columns and the guessed mapping of a job's file (null when the file is gone). */
export async function importColumns(jobId: number): Promise<{ headers: string[]; mapping: Mapping } | null> {
  const headers = await readJobHeaders(jobId);
  return headers ? { headers, mapping: guessMapping(headers) } : null;
}

const running = new Map<number, Promise<void>>();

/** Step 3: start the job; chunks run one after another, yielding between them so the app keeps answering. */
export async function startImport(jobId: number, mapping: Mapping, userId: number): Promise<{ ok: true; done: Promise<void> } | { ok: false; message: string }> {
  const job = getImportJob(jobId);
  if (!job || job.status !== "preview") return { ok: false, message: "この取込はすでに開始されたか、見つかりません。" };
  if (mapping.name < 0) return { ok: false, message: "「団体名」の列を選んでください。" };
  const csv = await readJobCsv(jobId);
  if (!csv) return { ok: false, message: "アップロードしたファイルが見つかりません。もう一度アップロードしてください。" };
  // Only one start wins, even when two arrive while the file is being read.
  const claimed = getDb()
    .update(importJobs)
    .set({ status: "running", processedRows: 0, createdRows: 0, errors: [] })
    .where(and(eq(importJobs.id, jobId), eq(importJobs.status, "preview")))
    .run();
  if (claimed.changes === 0) return { ok: false, message: "この取込はすでに開始されたか、見つかりません。" };
  forgetPreviews(jobId);
  const done = runChunks(jobId, job.fileName, csv.rows, mapping, userId);
  running.set(jobId, done);
  done.finally(() => running.delete(jobId));
  return { ok: true, done };
}

async function runChunks(jobId: number, fileName: string, rows: string[][], mapping: Mapping, userId: number) {
  const errors: { row: number; message: string }[] = [];
  let created = 0;
  try {
    for (let start = 0; start < rows.length; start += IMPORT_CHUNK) {
      const chunk = rows.slice(start, start + IMPORT_CHUNK);
      writeTransaction((tx) => {
        const dIndex = districtIndex(tx);
        chunk.forEach((cells, i) => {
          const line = start + i + 2;
          const r = validateRow(cells, mapping, dIndex);
          if (!r.ok) {
            if (errors.length < MAX_LISTED_ERRORS) errors.push({ row: line, message: r.message });
            return;
          }
          const registered = registeredMatch(tx, cells, mapping, r.row);
          if (registered) {
            // Nothing to do for an unchanged row; a changed one is listed (the import never rewrites an organisation).
            if (registered.differences.length && errors.length < MAX_LISTED_ERRORS) errors.push({ row: line, message: registeredDiffersMessage(registered) });
            return;
          }
          const dup = findDuplicate(tx, r.row.searchKey, r.row.phoneKey);
          if (dup) {
            if (errors.length < MAX_LISTED_ERRORS)
              errors.push({ row: line, message: `重複のためスキップ: 既存の「${dup.name}」（ID ${dup.id}）と団体名・電話番号が同じです。` });
            return;
          }
          const similar = sameName(tx, r.row.searchKey);
          const org = tx
            .insert(organisations)
            .values({ ...r.row, possibleDuplicateOfId: similar?.id ?? null })
            .returning({ id: organisations.id })
            .get();
          logActivity(tx, { organisationId: org.id, kind: "import", summary: `CSV取込で登録（${fileName} ${line}行目）`, userId });
          created++;
        });
        tx.update(importJobs)
          .set({ processedRows: Math.min(rows.length, start + chunk.length), createdRows: created, errors })
          .where(eq(importJobs.id, jobId))
          .run();
      });
      // Let other requests (and the progress poll) in between chunks.
      await new Promise((r) => setImmediate(r));
    }
    writeTransaction((tx) => {
      tx.update(importJobs)
        .set({ status: "done", processedRows: rows.length, createdRows: created, errors, finishedAt: new Date().toISOString() })
        .where(eq(importJobs.id, jobId))
        .run();
      audit({ userId, action: "crm.organisations_import", entity: "import_job", entityId: jobId, detail: { created, problems: errors.length } }, tx);
    });
  } catch (e) {
    getDb()
      .update(importJobs)
      .set({ status: "failed", errors: [...errors, { row: 0, message: `取込が途中で止まりました: ${(e as Error).message}` }], finishedAt: new Date().toISOString() })
      .where(eq(importJobs.id, jobId))
      .run();
  } finally {
    fs.rmSync(jobFile(jobId), { force: true });
  }
}
