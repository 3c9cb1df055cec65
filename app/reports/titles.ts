/** Names and addresses of reports (browser-safe). */
import { formatWareki, isValidYmd, weekday } from "../lib/dates";
import type { ReportKind } from "./deadlines";

const WEEKDAYS = ["日", "月", "火", "水", "木", "金", "土"];

/** 令和8年12月5日(土) — dates officials read in a report. */
export function warekiDate(ymd: string): string {
  return isValidYmd(ymd) ? `${formatWareki(ymd)}(${WEEKDAYS[weekday(ymd)]})` : "";
}

/** 令和8年12月 */
export function warekiMonth(month: string): string {
  return formatWareki(`${month}-01`).replace(/\d+日$/, "");
}

/** The period key in a report's address: YYYY-MM-DD (daily), YYYY-MM (monthly), nothing (completion). */
export function isPeriodKey(kind: ReportKind, key: string): boolean {
  if (kind === "daily") return isValidYmd(key);
  if (kind === "monthly") return /^\d{4}-(0[1-9]|1[0-2])$/.test(key);
  return key === "";
}

export function reportTitle(kind: ReportKind, key: string): string {
  if (kind === "daily") return `日次報告書（${warekiDate(key)}実施分）`;
  if (kind === "monthly") return `月次報告書（${warekiMonth(key)}分）`;
  return "委託業務完了報告書";
}

/** /reports/daily/2026-12-05, /reports/monthly/2026-12, /reports/completion (plus .xlsx / .csv), with ?program= when not the default. */
export function reportPath(kind: ReportKind, key: string, opts: { ext?: "xlsx" | "csv"; programId?: number | null; version?: number | null } = {}): string {
  const base = kind === "completion" ? "/reports/completion" : `/reports/${kind}/${key}`;
  const params = new URLSearchParams();
  if (opts.programId) params.set("program", String(opts.programId));
  if (opts.version) params.set("version", String(opts.version));
  const q = params.toString();
  return `${base}${opts.ext ? `.${opts.ext}` : ""}${q ? `?${q}` : ""}`;
}

/** The file name of a download: 日次報告書_2026-12-05_第2版.xlsx */
export function reportFileName(kind: ReportKind, key: string, ext: "xlsx" | "csv", version: number | null): string {
  const name = kind === "daily" ? "日次報告書" : kind === "monthly" ? "月次報告書" : "完了報告書";
  return `${name}${key ? `_${key}` : ""}${version ? `_第${version}版` : "_下書き"}.${ext}`;
}
