/**
 * The report files: XLSX written with exceljs and read back with exceljs
 * (same numbers, numbers as numbers, A4 fitted to width, a Japanese font,
 * frozen header rows) and CSV (UTF-8 with BOM, formulas neutralised). The city
 * downloads the submitted copy, never the results as they are now.
 */
import ExcelJS from "exceljs";
import Papa from "papaparse";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SessionUser } from "../../app/auth.server";
import { getDb } from "../../app/db.server";
import { programById } from "../../app/reports/data.server";
import { reportDownload } from "../../app/reports/http.server";
import { submitReport } from "../../app/reports/store.server";
import { XLSX_FONT } from "../../app/reports/xlsx.server";
import { useFreshDatabase } from "../support/db";
import { correctResults, enterResults, insertOrganisation, insertProgram, insertSession, insertUser, insertVenue, tokyo } from "../support/reports";

let ctx: ReturnType<typeof useFreshDatabase>;
let programId: number;
let manager: SessionUser;
let city: SessionUser;
let staff: SessionUser;
let roaming: number;

const download = (user: SessionUser, path: string, kind: "daily" | "monthly" | "completion", key: string, ext: "xlsx" | "csv") =>
  reportDownload(new Request(`http://localhost${path}`), user, kind, key, ext);

async function workbook(res: Response) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(await res.arrayBuffer());
  return wb;
}

/** The row whose first cell is `label`, after `afterRow` (values from column 1). */
function rowOf(ws: ExcelJS.Worksheet, label: string | number, afterRow = 0): (ExcelJS.CellValue | undefined)[] {
  for (let r = afterRow + 1; r <= ws.rowCount; r++) {
    if (ws.getCell(r, 1).value === label) return (ws.getRow(r).values as ExcelJS.CellValue[]).slice(1);
  }
  throw new Error(`no row "${label}" in ${ws.name}`);
}

beforeAll(() => {
  ctx = useFreshDatabase();
  programId = insertProgram();
  manager = insertUser("manager", "m@t.jp", "m@t.jp");
  city = insertUser("city", "c@t.jp", "c@t.jp");
  staff = insertUser("outreach", "s@t.jp", "s@t.jp");
  const venue = insertVenue("=HYPERLINK(\"http://evil.example\")", "supermarket");
  const site = insertVenue("さくらモール", "shopping_centre");
  const org = insertOrganisation("中央三丁目町内会", "neighbourhood");
  roaming = insertSession({ programId, kind: "roaming", mode: "support", date: "2026-12-04", from: "10:00", to: "13:00", venueId: venue });
  enterResults(roaming, { online: 12, onlineOut: 1, mail: 3, other: { mynapoint: 2 } }, staff);
  const group = insertSession({ programId, kind: "group", mode: "accept", date: "2026-12-04", from: "13:30", to: "15:30", organisationId: org });
  enterResults(group, { accept: 18, acceptOut: 2, online: 2, fallback: 2, fallbackReasons: { id_incomplete: 2 } }, staff);
  const base = insertSession({ programId, kind: "base", mode: "support", date: "2026-12-05", from: "10:00", to: "16:00", venueId: site });
  enterResults(base, { online: 25, onlineOut: 3, mail: 5 }, staff);
});
afterAll(() => ctx.cleanup());

describe("the daily report as XLSX", () => {
  it("reads back with the same numbers, as numbers, on A4 fitted to one page width, in a Japanese font, with the header frozen", async () => {
    const res = await download(manager, "/reports/daily/2026-12-04.xlsx", "daily", "2026-12-04", "xlsx");
    expect(res.headers.get("Content-Type")).toBe("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    expect(res.headers.get("Content-Disposition")).toContain(`filename*=UTF-8''${encodeURIComponent("日次報告書_2026-12-04_下書き.xlsx")}`);
    const ws = (await workbook(res)).getWorksheet("日次報告書")!;
    expect(ws.getCell("A1").value).toBe("日次報告書（令和8年12月4日(金)実施分）");
    // No, 時間, 場所, 種別, 方式, 受付方式, サポート方式（オンライン, 郵送）, 申請件数計, 市内, 市外, 切替, マイナポイント, 保険証, 公金口座, 問合せ, 事故, 写真
    const totals = rowOf(ws, "合計");
    expect(totals.slice(5)).toEqual([18, 14, 3, 35, 32, 3, 2, 2, 0, 0, 0, 0, 0]);
    expect(totals.slice(5).every((v) => typeof v === "number")).toBe(true);
    const first = rowOf(ws, 1);
    expect(first.slice(1, 5)).toEqual(["10:00〜13:00", '=HYPERLINK("http://evil.example")', "巡回", "サポート方式"]);

    expect(ws.pageSetup).toMatchObject({ paperSize: 9, orientation: "landscape", fitToPage: true, fitToWidth: 1, fitToHeight: 0 });
    const frozen = ws.views[0] as ExcelJS.WorksheetViewFrozen;
    expect(frozen.state).toBe("frozen");
    // Title, four lines about the report (業務名, 実施日, 提出期限, 版), a blank line, the table's heading, then two header rows (groups above their columns).
    expect(frozen.ySplit).toBe(9);
    expect(ws.getCell(8, 6).value).toBe("受付方式");
    expect(ws.getCell(8, 7).value).toBe("サポート方式");
    expect(ws.getCell(9, 7).value).toBe("オンライン");
    expect(ws.getCell(9, 8).value).toBe("郵送");
    expect(ws.pageSetup.printTitlesRow).toBe("8:9");
    for (const addr of ["A1", "F9", "F10", "B2"]) expect(ws.getCell(addr).font?.name, addr).toBe(XLSX_FONT.name);
  });

  it("puts the month's analysis and totals in their own sheets", async () => {
    const wb = await workbook(await download(manager, "/reports/monthly/2026-12.xlsx", "monthly", "2026-12", "xlsx"));
    expect(wb.worksheets.map((w) => w.name)).toEqual(["月次集計", "場所別", "団体の種類別", "分析", "広報", "問合せ"]);
    // By kind: group 20, roaming 15, base 30 = 65 applications; 3 sessions, 11 hours.
    expect(rowOf(wb.getWorksheet("月次集計")!, "合計").slice(1, 7)).toEqual([3, 11, 18, 39, 8, 65]);
    const analysis = wb.getWorksheet("分析")!;
    // 1 h rate: group 20 / 2 = 10.0, base 30 / 6 = 5.0, roaming 15 / 3 = 5.0 (fewer applications, after base).
    expect(rowOf(analysis, 1).slice(1, 6)).toEqual(["中央三丁目町内会", 1, 2, 20, 10]);
    expect(rowOf(analysis, 2).slice(1, 6)).toEqual(["さくらモール", 1, 6, 30, 5]);
  });
});

describe("the daily report as CSV", () => {
  it("is UTF-8 with a BOM, lists the sessions and totals, and neutralises a formula in a place name", async () => {
    const res = await download(manager, "/reports/daily/2026-12-04.csv", "daily", "2026-12-04", "csv");
    expect(res.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    // TextDecoder drops the BOM it reads.
    const rows = Papa.parse<string[]>(new TextDecoder().decode(bytes)).data;
    expect(rows[0]).toEqual(["日次報告書（令和8年12月4日(金)実施分）"]);
    const first = rows.find((r) => r[0] === "1")!;
    expect(first[2]).toBe(`'=HYPERLINK("http://evil.example")`);
    expect(rows.find((r) => r[0] === "合計")!.slice(5, 11)).toEqual(["18", "14", "3", "35", "32", "3"]);
  });
});

describe("what the city downloads", () => {
  it("gets nothing before submission, then the frozen copy even after the results are corrected", async () => {
    await expect(download(city, "/reports/daily/2026-12-04.xlsx", "daily", "2026-12-04", "xlsx")).rejects.toMatchObject({ status: 404 });
    const r = submitReport({ program: programById(programId, getDb())!, kind: "daily", key: "2026-12-04", remarks: "雨天", user: manager, now: new Date("2026-12-07T09:00:00+09:00") });
    expect(r.ok).toBe(true);
    correctResults(roaming, 1, { online: 13, onlineOut: 1, mail: 3, other: { mynapoint: 2 } }, manager, tokyo("2026-12-08T08:45"));

    const cityCopy = await download(city, "/reports/daily/2026-12-04.xlsx", "daily", "2026-12-04", "xlsx");
    expect(cityCopy.headers.get("Content-Disposition")).toContain(encodeURIComponent("日次報告書_2026-12-04_第1版.xlsx"));
    const ws = (await workbook(cityCopy)).getWorksheet("日次報告書")!;
    expect(rowOf(ws, "合計")[6]).toBe(14);
    expect(rowOf(ws, "版")[1]).toMatch(/^第1版（提出済・2026年12月7日\(月\) 09:00 m@t\.jp提出）$/);
    expect(rowOf(ws, "備考", 12)).toBeDefined();
    // Staff see the results as they are now (the correction), ready for a new version.
    const staffCopy = (await workbook(await download(manager, "/reports/daily/2026-12-04.xlsx", "daily", "2026-12-04", "xlsx"))).getWorksheet("日次報告書")!;
    expect(rowOf(staffCopy, "合計")[6]).toBe(15);
  });
});
