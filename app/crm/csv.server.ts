/** CSV files as Excel writes them: UTF-8 (with or without BOM) or Shift_JIS. */
import iconv from "iconv-lite";
import Papa from "papaparse";
import { containsIndividualNumber } from "../lib/individual-number";

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

/** The header row alone, read from the start of the text (cheap for big files). */
export function parseCsvHeaders(text: string): string[] {
  const parsed = Papa.parse<string[]>(text.replace(/^\uFEFF/, "").substring(0, 1024 * 1024), { skipEmptyLines: "greedy", preview: 1 });
  return (parsed.data[0] ?? []).map((c) => (c ?? "").trim());
}

// ---------------------------------------------------------------------------
// The same, for big files, without holding up other requests: the work runs
// in slices of a few milliseconds with setImmediate() between them, so the
// event loop keeps answering (an 8.5 MB file took 5.5 s of blocked server).

/** Cooperative time slicing: call due() often and `await pause()` when it says so. */
export class TimeSlicer {
  private until: number;
  constructor(private readonly budgetMs = 10) {
    this.until = performance.now() + budgetMs;
  }
  due(): boolean {
    return performance.now() >= this.until;
  }
  async pause(): Promise<void> {
    await new Promise((r) => setImmediate(r));
    this.until = performance.now() + this.budgetMs;
  }
  /** Pause when the slice is used up (cheap to call on every item). */
  async maybePause(): Promise<void> {
    if (this.due()) await this.pause();
  }
}

const DECODE_SLICE = 512 * 1024;
const PARSE_CHUNK = 256 * 1024;

/** decodeCsv() in slices: the same text and encoding. */
export async function decodeCsvSliced(bytes: Uint8Array, slicer = new TimeSlicer()): Promise<{ text: string; encoding: "utf-8" | "shift_jis" }> {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const decodeAll = async (decoder: { write: (b: Buffer) => string; end: () => string }, from: number) => {
    const parts: string[] = [];
    for (let at = from; at < buf.length; at += DECODE_SLICE) {
      parts.push(decoder.write(buf.subarray(at, Math.min(buf.length, at + DECODE_SLICE))));
      await slicer.maybePause();
    }
    parts.push(decoder.end());
    return parts.join("");
  };
  const utf8 = (fatal: boolean) => {
    const d = new TextDecoder("utf-8", { fatal, ignoreBOM: true });
    return { write: (b: Buffer) => d.decode(b, { stream: true }), end: () => d.decode() };
  };
  if (buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) {
    return { text: await decodeAll(utf8(false), 3), encoding: "utf-8" };
  }
  try {
    return { text: await decodeAll(utf8(true), 0), encoding: "utf-8" };
  } catch {
    const d = iconv.getDecoder("cp932");
    return { text: await decodeAll({ write: (b) => d.write(b), end: () => d.end() ?? "" }, 0), encoding: "shift_jis" };
  }
}

/**
 * parseCsv() in slices: papaparse's own chunked parsing, paused between
 * chunks. The line break and delimiter are guessed once from the start of the
 * file exactly as a whole-file parse guesses them, so the rows are the same.
 */
export function parseCsvSliced(
  text: string,
  opts: { slicer?: TimeSlicer; onProgress?: (fraction: number) => void; chunkSize?: number } = {},
): Promise<{ headers: string[]; rows: string[][] }> {
  const slicer = opts.slicer ?? new TimeSlicer();
  const input = text.replace(/^\uFEFF/, "");
  const head = Papa.parse<string[]>(input.substring(0, 1024 * 1024), { skipEmptyLines: "greedy", preview: 1 }).meta;
  return new Promise((resolve, reject) => {
    const all: string[][] = [];
    try {
      Papa.parse<string[]>(input, {
        skipEmptyLines: "greedy",
        newline: head.linebreak as "\r\n" | "\n" | "\r",
        delimiter: head.delimiter,
        chunkSize: opts.chunkSize ?? PARSE_CHUNK,
        chunk(results: Papa.ParseResult<string[]>, parser: Papa.Parser) {
          for (const r of results.data) all.push(r.map((c: string | undefined) => (c ?? "").trim()));
          opts.onProgress?.(input.length ? Math.min(1, results.meta.cursor / input.length) : 1);
          if (slicer.due()) {
            parser.pause();
            slicer.pause().then(() => parser.resume(), reject);
          }
        },
        complete() {
          const [headers = [], ...rows] = all;
          resolve({ headers, rows });
        },
      });
    } catch (error) {
      reject(error);
    }
  });
}

/** One CSV line per row, quoted where needed, CRLF, with a UTF-8 BOM so Excel opens it as UTF-8. */
export function toCsv(headers: string[], rows: (string | number | null | undefined)[][]): string {
  const body = Papa.unparse({ fields: headers, data: rows.map((r) => r.map((c) => (c == null ? "" : String(c)))) }, { newline: "\r\n" });
  return `\uFEFF${body}\r\n`;
}

/** Stop formula injection: a cell starting with =, +, -, @, a tab or a carriage return gets a leading apostrophe (each case has its own test). */
export function safeCell(value: string | number | null | undefined): string {
  if (value == null) return "";
  const s = String(value);
  return /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
}

/**
 * The import's inverse of safeCell(): drop the apostrophe only where the
 * export would have added one (an apostrophe followed by a formula trigger),
 * so an exported file imported again gives back the stored text. An
 * apostrophe before anything else is the organisation's own text and stays.
 */
export function unguardCell(value: string): string {
  return /^'[=+\-@\t\r]/.test(value) ? value.slice(1) : value;
}

// ---------------------------------------------------------------------------
// Postal codes and phone numbers that stay text in a spreadsheet.
//
// A CSV has no types: Excel, LibreOffice and spreadsheet libraries guess each
// cell's type from its text. "060-0001" reads as a date (1 January 1960) to a
// date guesser such as JavaScript's Date.parse, which spreadsheet libraries
// fall back on, and "0172123456" reads as the number 172123456 (the leading 0
// gone) everywhere. Quotes do not help (spreadsheets ignore them), the
// apostrophe Excel knows from typing is shown as a character in a CSV, and
// ="060-0001" is a formula, which this export never writes (see safeCell).
// So the cells carry a visible marker that no guesser reads as a number or
// date: postal codes as 〒060-0001 (how Japanese addresses write them), and a
// phone number that would read as a number or a date as "TEL 0172123456". The
// import takes the marker off again (normalisePostalCode keeps the digits;
// phoneFromCell below), so a round trip changes nothing.

/** Would a spreadsheet's type guess turn this text into a number or a date? */
export function readsAsNumberOrDate(value: string): boolean {
  const v = value.trim();
  if (!v) return false;
  return Number.isFinite(Number(v)) || !Number.isNaN(Date.parse(v));
}

/** 060-0001 → 〒060-0001 (empty stays empty). */
export function postalCodeCell(postalCode: string | null | undefined): string {
  return postalCode ? `〒${postalCode}` : "";
}

const PHONE_MARK = "TEL ";

/** A phone number as typed, with "TEL " in front only when a spreadsheet would read it as a number or a date. */
export function phoneCell(phone: string | null | undefined): string {
  if (!phone) return "";
  return readsAsNumberOrDate(phone) ? `${PHONE_MARK}${phone}` : phone;
}

/** The import's inverse of phoneCell(): the mark goes only where the export would have added it. */
export function phoneFromCell(value: string): string {
  if (value.startsWith(PHONE_MARK)) {
    const rest = value.slice(PHONE_MARK.length);
    if (readsAsNumberOrDate(rest)) return rest;
  }
  return value;
}

// ---------------------------------------------------------------------------
// No individual number in any cell, mapped or not, before a file is kept.

export type CellLocation = { row: number; column: number; header: string };

/**
 * Cells (the header row included) that hold what reads as an individual
 * number. Rows are numbered as the import screens number them: the header is
 * row 1, the first data row is row 2. Returns the first `limit` places and how
 * many there are in all.
 */
export async function findIndividualNumberCells(
  headers: string[],
  rows: string[][],
  opts: { slicer?: TimeSlicer; limit?: number } = {},
): Promise<{ places: CellLocation[]; total: number }> {
  const slicer = opts.slicer ?? new TimeSlicer();
  const limit = opts.limit ?? 5;
  const places: CellLocation[] = [];
  let total = 0;
  const check = (cells: string[], row: number) => {
    cells.forEach((cell, i) => {
      // Fewer than 12 characters cannot hold 12 digits (each digit is at least one character).
      if (cell && cell.length >= 12 && containsIndividualNumber(cell)) {
        total++;
        // A header that itself holds a number is never echoed back.
        const header = headers[i] && !containsIndividualNumber(headers[i]) ? headers[i] : "";
        if (places.length < limit) places.push({ row, column: i + 1, header });
      }
    });
  };
  check(headers, 1);
  for (let i = 0; i < rows.length; i++) {
    check(rows[i], i + 2);
    await slicer.maybePause();
  }
  return { places, total };
}

/** The refusal shown for such a file: where the numbers are, never the numbers themselves. */
export function individualNumberFileMessage(found: { places: CellLocation[]; total: number }): string {
  const where = found.places
    .map((p) => (p.row === 1 ? `1行目（見出し）の${p.column}列目` : `${p.row}行目の${p.header ? `「${p.header}」列（${p.column}列目）` : `${p.column}列目`}`))
    .join("、");
  const more = found.total > found.places.length ? `ほか${found.total - found.places.length}か所` : "";
  return `${where}${more}に、マイナンバー（個人番号）と思われる12桁の数字があります。個人番号はお預かりできないため、その数字を消してからもう一度アップロードしてください（このファイルは保存していません）。`;
}
