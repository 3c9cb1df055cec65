/** CSV files as Excel writes them: UTF-8 (with or without BOM) or Shift_JIS. */
import iconv from "iconv-lite";
import Papa from "papaparse";

/** Decode bytes: UTF-8 when they are valid UTF-8 (or start with a BOM), otherwise Shift_JIS (CP932). */
export function decodeCsv(bytes: Uint8Array): { text: string; encoding: "utf-8" | "shift_jis" } {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) {
    return { text: buf.subarray(3).toString("utf8"), encoding: "utf-8" };
  }
  try {
    const text = new TextDecoder("utf-8", { fatal: true }).decode(buf);
    return { text, encoding: "utf-8" };
  } catch {
    return { text: iconv.decode(buf, "cp932"), encoding: "shift_jis" };
  }
}

/** Parse CSV text into a header row and data rows (blank lines skipped, cells trimmed). */
export function parseCsv(text: string): { headers: string[]; rows: string[][] } {
  const parsed = Papa.parse<string[]>(text.replace(/^\uFEFF/, ""), { skipEmptyLines: "greedy" });
  const all = parsed.data.map((r) => r.map((c) => (c ?? "").trim()));
  const [headers = [], ...rows] = all;
  return { headers, rows };
}

/** One CSV line per row, quoted where needed, CRLF, with a UTF-8 BOM so Excel opens it as UTF-8. */
export function toCsv(headers: string[], rows: (string | number | null | undefined)[][]): string {
  const body = Papa.unparse({ fields: headers, data: rows.map((r) => r.map((c) => (c == null ? "" : String(c)))) }, { newline: "\r\n" });
  return `\uFEFF${body}\r\n`;
}

/** Stop formula injection when a cell starting with =, +, -, @ is opened in Excel. */
export function safeCell(value: string | number | null | undefined): string {
  if (value == null) return "";
  const s = String(value);
  return /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
}
