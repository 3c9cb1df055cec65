/**
 * Reports as CSV (UTF-8 with BOM so Excel reads it, CRLF, written by
 * papaparse): the title and header lines, then every table of
 * the report one after the other, each with its heading line, its column
 * names, its rows and its totals, separated by an empty line. Text cells are
 * guarded against formula injection; numbers stay numbers.
 */
import Papa from "papaparse";
import { safeCell } from "../crm/csv.server";
import type { Cell, ReportDocument } from "./tables";

const cell = (v: Cell) => (typeof v === "number" ? v : safeCell(v));

export function reportCsv(doc: ReportDocument): string {
  const lines: Cell[][] = [[doc.title]];
  for (const [label, value] of doc.meta) lines.push([label, value]);
  for (const sheet of doc.sheets) {
    for (const t of sheet.tables) {
      lines.push([]);
      lines.push([t.heading]);
      lines.push(t.columns.map((c) => (c.group ? `${c.group} ${c.header}` : c.header)));
      for (const r of t.rows) lines.push(r);
      if (t.totals) lines.push(t.totals);
    }
    for (const n of sheet.notes ?? []) {
      lines.push([]);
      lines.push([n.heading]);
      for (const l of n.lines) lines.push([l]);
    }
  }
  // Rows have different lengths (one table after another): papaparse's array form keeps each row as it is.
  return `\uFEFF${Papa.unparse(
    lines.map((r) => r.map(cell)),
    { newline: "\r\n" }
  )}\r\n`;
}
