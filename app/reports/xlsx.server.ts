/**
 * Reports as XLSX (exceljs): A4 landscape, fitted to one page width, a
 * Japanese font on every cell, the first table's header rows frozen and
 * repeated on every printed page, numbers stored as numbers.
 */
import ExcelJS from "exceljs";
import type { Cell, Column, ReportDocument, Table } from "./tables";

/** The font officials' Excel has (游ゴシック, Shift_JIS charset so older Excel picks a Japanese face). */
export const XLSX_FONT = { name: "游ゴシック", charset: 128, size: 10 } as const;
const NUMBER_FORMATS = { int: "#,##0", dec1: "0.0", dec2: "0.00" } as const;
const THIN = { style: "thin" as const, color: { argb: "FF9AA5B1" } };
const BORDER = { top: THIN, left: THIN, bottom: THIN, right: THIN };

function put(
  ws: ExcelJS.Worksheet,
  row: number,
  col: number,
  value: Cell,
  opts: { bold?: boolean; size?: number; format?: Column["format"]; border?: boolean; fill?: string; wrap?: boolean } = {}
) {
  const cell = ws.getCell(row, col);
  cell.value = value === null ? null : value;
  cell.font = { ...XLSX_FONT, bold: opts.bold ?? false, size: opts.size ?? XLSX_FONT.size };
  if (typeof value === "number" && opts.format) cell.numFmt = NUMBER_FORMATS[opts.format];
  if (opts.border) cell.border = BORDER;
  if (opts.fill) cell.fill = { type: "pattern", pattern: "solid", fgColor: { argb: opts.fill } };
  cell.alignment = { vertical: "middle", wrapText: opts.wrap ?? typeof value === "string", horizontal: typeof value === "number" ? "right" : undefined };
}

/** Write one table from `row`; returns the row after it and the rows of its header. */
function writeTable(ws: ExcelJS.Worksheet, t: Table, row: number): { next: number; headerFrom: number; headerTo: number } {
  put(ws, row, 1, t.heading, { bold: true, size: 11, wrap: false });
  row += 1;
  const headerFrom = row;
  const grouped = t.columns.some((c) => c.group);
  if (grouped) {
    // Two header rows: the group spans its columns, a column without a group spans both rows.
    for (let i = 0; i < t.columns.length; i++) {
      const c = t.columns[i];
      if (!c.group) {
        put(ws, row, i + 1, c.header, { bold: true, border: true, fill: "FFE4E7EB" });
        put(ws, row + 1, i + 1, null, { border: true, fill: "FFE4E7EB" });
        ws.mergeCells(row, i + 1, row + 1, i + 1);
        continue;
      }
      let j = i;
      while (j + 1 < t.columns.length && t.columns[j + 1].group === c.group) j++;
      for (let k = i; k <= j; k++) {
        put(ws, row, k + 1, k === i ? c.group : null, { bold: true, border: true, fill: "FFE4E7EB" });
        put(ws, row + 1, k + 1, t.columns[k].header, { bold: true, border: true, fill: "FFE4E7EB" });
      }
      if (j > i) ws.mergeCells(row, i + 1, row, j + 1);
      i = j;
    }
    row += 2;
  } else {
    t.columns.forEach((c, i) => put(ws, row, i + 1, c.header, { bold: true, border: true, fill: "FFE4E7EB" }));
    row += 1;
  }
  const headerTo = row - 1;
  for (const r of t.rows) {
    r.forEach((v, i) => put(ws, row, i + 1, v, { format: t.columns[i]?.format, border: true }));
    row += 1;
  }
  if (t.rows.length === 0) {
    put(ws, row, 1, "該当なし", { border: true });
    row += 1;
  }
  if (t.totals) {
    t.totals.forEach((v, i) => put(ws, row, i + 1, v, { bold: true, format: t.columns[i]?.format, border: true, fill: "FFF5F7FA" }));
    row += 1;
  }
  return { next: row + 1, headerFrom, headerTo };
}

export async function reportXlsx(doc: ReportDocument): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = "demado";
  wb.title = doc.title;
  for (const sheet of doc.sheets) {
    // Page setup is given when the sheet is created: exceljs only writes fitToPage set this way (STACK-NOTES).
    const ws = wb.addWorksheet(sheet.name, {
      pageSetup: {
        paperSize: 9,
        orientation: "landscape",
        fitToPage: true,
        fitToWidth: 1,
        fitToHeight: 0,
        horizontalCentered: true,
        margins: { left: 0.4, right: 0.4, top: 0.5, bottom: 0.5, header: 0.3, footer: 0.3 },
      },
      headerFooter: { oddFooter: `&C${doc.title.replace(/&/g, "&&")}　&P / &N` },
    });
    const widths: number[] = [];
    for (const t of sheet.tables) t.columns.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 8, c.width ?? 10)));
    widths.forEach((w, i) => (ws.getColumn(i + 1).width = w));

    put(ws, 1, 1, doc.title, { bold: true, size: 14, wrap: false });
    let row = 2;
    for (const [label, value] of doc.meta) {
      put(ws, row, 1, label, { bold: true, wrap: false });
      put(ws, row, 2, value, { wrap: false });
      row += 1;
    }
    row += 1;
    let frozen: { headerFrom: number; headerTo: number } | null = null;
    for (const t of sheet.tables) {
      const w = writeTable(ws, t, row);
      frozen ??= w;
      row = w.next;
    }
    for (const n of sheet.notes ?? []) {
      put(ws, row, 1, n.heading, { bold: true, size: 11, wrap: false });
      row += 1;
      for (const line of n.lines.length ? n.lines : ["なし"]) {
        put(ws, row, 1, line, { wrap: false });
        row += 1;
      }
      row += 1;
    }
    if (frozen) {
      // The first table's header stays on screen while scrolling and repeats on every printed page.
      ws.views = [{ state: "frozen", xSplit: 0, ySplit: frozen.headerTo, topLeftCell: `A${frozen.headerTo + 1}`, activeCell: `A${frozen.headerTo + 1}` }];
      ws.pageSetup.printTitlesRow = `${frozen.headerFrom}:${frozen.headerTo}`;
    }
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}
