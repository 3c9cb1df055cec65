/**
 * Organisation CSV round trip (issue 15 item 8): the demo organisations
 * exported and imported again change nothing (no new organisation, no
 * proposal, no update, no problem listed), and a spreadsheet reading the
 * export keeps postal codes and phone numbers as text.
 *
 * "A spreadsheet reading it" is checked twice: with exceljs's CSV reader (a
 * real spreadsheet library, which turns numeric text into numbers) and with
 * the type guess spreadsheet libraries fall back on (a number when Number()
 * reads one, otherwise a date when Date.parse() reads one, otherwise text:
 * "060-0001" becomes 1 January 1960 there, the bug the issue reports).
 */
import { Readable } from "node:stream";
import ExcelJS from "exceljs";
import Papa from "papaparse";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { getDb } from "../../app/db.server";
import { organisationSearchKey } from "../../app/lib/normalise";
import { phoneCell, phoneFromCell, postalCodeCell, safeCell, unguardCell } from "../../app/crm/csv.server";
import { exportOrganisationsCsv } from "../../app/crm/export.server";
import { parseFilters } from "../../app/crm/filters";
import { createImportJob, getImportJob, previewImport, startImport } from "../../app/crm/import.server";
import { activities, contacts, crmProposals, organisations, users } from "../../db/schema";
import { loadDemoData } from "../../db/demo/seed";
import { useFreshDatabase } from "../support/db";

let ctx: ReturnType<typeof useFreshDatabase>;
let managerId: number;

beforeAll(async () => {
  ctx = useFreshDatabase();
  await loadDemoData(getDb(), { today: "2026-11-22" });
  managerId = getDb().select({ id: users.id }).from(users).where(eq(users.email, "manager@demo.example")).get()!.id;
  // Beside the demo's own: the cells the issue names, and the formula guard's cases.
  getDb()
    .insert(organisations)
    .values([
      { name: "札幌北一条町内会", searchKey: organisationSearchKey("札幌北一条町内会"), kind: "neighbourhood", postalCode: "060-0001", phone: "0112223333", address: "札幌市中央区北1条西1丁目" },
      { name: "=SUM(1,2)商会", searchKey: organisationSearchKey("=SUM(1,2)商会"), kind: "company", phone: "+81-172-12-3456", address: "-1丁目" },
      { name: "'あおば' 倶楽部", searchKey: organisationSearchKey("'あおば' 倶楽部"), kind: "other", postalCode: "038-0211" },
    ])
    .run();
});
afterAll(() => ctx.cleanup());

/** The type a spreadsheet library guesses for a CSV cell (see the file's comment). */
function guessed(cell: string): string | number | Date {
  if (cell.trim() !== "" && Number.isFinite(Number(cell))) return Number(cell);
  const t = Date.parse(cell);
  return Number.isNaN(t) ? cell : new Date(t);
}

const snapshot = () => ({
  organisations: getDb().select().from(organisations).orderBy(organisations.id).all(),
  proposals: getDb().select().from(crmProposals).all().length,
  activities: getDb().select().from(activities).all().length,
  contacts: getDb().select().from(contacts).all().length,
});

describe("organisation CSV round trip", () => {
  it("exports postal codes and phone numbers in a form spreadsheets keep as text", async () => {
    const { csv } = exportOrganisationsCsv(parseFilters(new URLSearchParams()), { id: managerId }, null);
    const [header, ...rows] = Papa.parse<string[]>(csv.replace(/^\uFEFF/, ""), { skipEmptyLines: true }).data;
    const col = (name: string) => header.indexOf(name);
    const sapporo = rows.find((r) => r[col("団体名")] === "札幌北一条町内会")!;
    expect(sapporo[col("郵便番号")]).toBe("〒060-0001");
    expect(sapporo[col("電話番号")]).toBe("TEL 0112223333");
    // The model guesser: text stays text, digits and hyphen as written.
    expect(guessed(sapporo[col("郵便番号")])).toBe("〒060-0001");
    expect(guessed(sapporo[col("電話番号")])).toBe("TEL 0112223333");
    for (const r of rows) {
      for (const c of ["郵便番号", "電話番号", "主担当者の電話"]) expect(typeof guessed(r[col(c)]), `${c} of ${r[col("団体名")]}: ${r[col(c)]}`).toBe("string");
    }
    // exceljs, reading the same file as a spreadsheet does.
    const book = new ExcelJS.Workbook();
    const sheet = await book.csv.read(Readable.from([csv.replace(/^\uFEFF/, "")]));
    const values = (sheet.getRow(rows.indexOf(sapporo) + 2).values as unknown[]).slice(1);
    expect(values[col("郵便番号")]).toBe("〒060-0001");
    expect(values[col("電話番号")]).toBe("TEL 0112223333");
    sheet.eachRow((row, n) => {
      if (n === 1) return;
      const v = (row.values as unknown[]).slice(1);
      for (const c of ["郵便番号", "電話番号", "主担当者の電話"]) if (v[col(c)] != null) expect(typeof v[col(c)], `row ${n} ${c}`).toBe("string");
    });
  });

  it("imports its own export without changing anything", async () => {
    const before = snapshot();
    const { csv, count } = exportOrganisationsCsv(parseFilters(new URLSearchParams()), { id: managerId }, null);
    expect(count).toBeGreaterThan(40);
    // Bytes as the download gives them (UTF-8 with a BOM).
    const job = await createImportJob(new TextEncoder().encode(csv), "団体一覧.csv", managerId);
    if (!job.ok) throw new Error(job.message);
    const preview = (await previewImport(job.jobId, null))!;
    expect(preview.mapping.id).toBe(0);
    expect(preview.errors).toEqual([]);
    expect({ willCreate: preview.willCreate, duplicates: preview.duplicates, errorCount: preview.errorCount, unchanged: preview.unchanged }).toEqual({
      willCreate: 0,
      duplicates: 0,
      errorCount: 0,
      unchanged: count,
    });
    const started = await startImport(job.jobId, preview.mapping, managerId);
    if (!started.ok) throw new Error(started.message);
    await started.done;
    expect(getImportJob(job.jobId)).toMatchObject({ status: "done", createdRows: 0, processedRows: count, errors: [] });
    expect(snapshot()).toEqual(before);
  });

  it("lists a registered organisation whose row was edited, and still changes nothing", async () => {
    const { csv } = exportOrganisationsCsv(parseFilters(new URLSearchParams("q=札幌北一条")), { id: managerId }, null);
    const edited = csv.replace("札幌市中央区北1条西1丁目", "札幌市中央区北1条西2丁目");
    const before = snapshot();
    const job = await createImportJob(new TextEncoder().encode(edited), "edited.csv", managerId);
    if (!job.ok) throw new Error(job.message);
    const preview = (await previewImport(job.jobId, null))!;
    expect(preview.errors).toEqual([
      { row: 2, message: expect.stringMatching(/^登録済みの団体（ID \d+「札幌北一条町内会」）と住所が違います。CSV取込では登録済みの団体を書き換えません。/) },
    ]);
    const started = await startImport(job.jobId, preview.mapping, managerId);
    if (!started.ok) throw new Error(started.message);
    await started.done;
    expect(snapshot()).toEqual(before);
  });
});

describe("the export's marks come off on import, and only those", () => {
  it.each(["=1+1", "+81-3-1234-5678", "-2+3", "@SUM(A1:A2)", "\t=cmd", "\r=cmd", "あおば町内会", "'あおば'"])("safeCell then unguardCell gives back %j", (value) => {
    expect(unguardCell(safeCell(value))).toBe(value);
  });

  it("keeps an apostrophe the organisation wrote itself", () => {
    expect(unguardCell("'あおば' 倶楽部")).toBe("'あおば' 倶楽部");
    expect(unguardCell("'1丁目")).toBe("'1丁目");
  });

  it.each([
    ["0172123456", "TEL 0172123456"],
    ["0172-12-3456", "0172-12-3456"],
    ["090-1234-5678", "090-1234-5678"],
    ["03-12-34", "TEL 03-12-34"],
  ])("phone %s is written %s and read back", (phone, cell) => {
    expect(phoneCell(phone)).toBe(cell);
    expect(phoneFromCell(cell)).toBe(phone);
  });

  it("leaves a TEL the export would not have added", () => {
    expect(phoneFromCell("TEL 0172-12-3456")).toBe("TEL 0172-12-3456");
    expect(postalCodeCell("060-0001")).toBe("〒060-0001");
    expect(postalCodeCell(null)).toBe("");
  });
});
