/**
 * Words and small pure rules of the on-the-day logs (事故・苦情, 問合せ記録,
 * 広報活動). Browser-safe: the pages and the server share them.
 */
import type { IncidentKind, IncidentSeverity, InquiryChannel, PrMedium, PrStatus } from "../../db/enums";
import { formatDate, formatTimeRange } from "../lib/dates";
import type { Tone } from "../lib/labels";

export const INCIDENT_KIND_LABELS: Record<IncidentKind, string> = { accident: "事故", complaint: "苦情", other: "その他" };
export const INCIDENT_SEVERITY_LABELS: Record<IncidentSeverity, string> = { minor: "軽微", serious: "重大", urgent: "緊急" };
export const INCIDENT_SEVERITY_TONES: Record<IncidentSeverity, Tone> = { minor: "neutral", serious: "warn", urgent: "danger" };

/** Severities reported to the manager and the city at once, and kept in view until closed (seed 000 §5(9), §9①ア). */
export const REPORTED_AT_ONCE: readonly IncidentSeverity[] = ["serious", "urgent"];
export function reportedAtOnce(severity: IncidentSeverity): boolean {
  return REPORTED_AT_ONCE.includes(severity);
}

export const INQUIRY_CHANNEL_LABELS: Record<InquiryChannel, string> = { phone: "電話", site: "現地", email: "メール", counter: "窓口" };

export const PR_MEDIUM_LABELS: Record<PrMedium, string> = {
  flyer: "チラシ",
  poster: "ポスター",
  web: "ホームページ",
  sns: "SNS",
  newsletter: "広報誌",
  radio: "ラジオ",
  event: "イベント",
  // Older rows only (not offered for new entries).
  tv: "テレビ",
  newspaper: "新聞",
  other: "その他",
};
/** The media of seed 000 §5(3) offered for new entries; tv, newspaper and other remain only on older rows. */
export const PR_MEDIA_OFFERED: readonly PrMedium[] = ["flyer", "poster", "web", "sns", "newsletter", "radio", "event"];
export const PR_STATUS_LABELS: Record<PrStatus, string> = { planned: "予定", done: "実施済" };

/**
 * Why a PR item needs a second look (§5(3)②: the city approves the method and
 * content before use): done without an approval on record, or approved only
 * after it was used. A warning, never a refusal.
 */
export type PrWarning = "no_approval" | "approved_after_use";
export const PR_WARNING_MESSAGES: Record<PrWarning, string> = {
  no_approval:
    "市の承認が記録されていません。広報・PRの方法と内容は、事前に市の承諾を得てから実施する決まりです（仕様書 5(3)②）。承認を得ている場合は承認日と文書番号を記録してください。",
  approved_after_use: "市の承認日が実施日より後になっています。広報物は市の承認を得てから使用する決まりです（仕様書 5(3)②）。日付を確認してください。",
};
export function prWarning(row: { status: PrStatus; doneOn: string | null; cityApprovedOn: string | null }): PrWarning | null {
  if (row.status !== "done") return null;
  if (!row.cityApprovedOn) return "no_approval";
  if (row.doneOn && row.cityApprovedOn > row.doneOn) return "approved_after_use";
  return null;
}

const EMAIL_LIKE = /[\w.+-]+@[\w-]+(\.[\w-]+)+/;

/**
 * A phone number or an email address in a text meant to hold no personal
 * data (問合せの概要). Phone numbers: a 0 followed by 9–10 more digits, in
 * groups split by hyphens, spaces, dots or brackets (03-1234-5678,
 * 090 1234 5678, (017)734-1111), or +81 and the number without its 0. Dates,
 * times, postal codes and counts have fewer digits or do not start with 0.
 */
export function containsContactDetails(text: string | null | undefined): boolean {
  if (!text) return false;
  const s = text.normalize("NFKC");
  if (EMAIL_LIKE.test(s)) return true;
  // Digit runs joined by the separators people use in phone numbers.
  for (const m of s.matchAll(/\+?\(?\d[\d\s\-.()‐－ー]*\d/g)) {
    const raw = m[0];
    const digits = raw.replace(/\D/g, "");
    if (raw.startsWith("+81") && digits.length >= 11 && digits.length <= 12) return true;
    if (digits.startsWith("0") && digits.length >= 10 && digits.length <= 11) return true;
  }
  return false;
}

export const CONTACT_DETAILS_MESSAGE = "電話番号やメールアドレスのような個人の連絡先が含まれています。概要には個人を特定できる情報を書かず、問合せの内容だけを短く書いてください。";

/** When a session runs: 2026年12月1日(火) 10:00〜12:00, or the date alone, or 日程未定. */
export function sessionWhen(s: { date: string | null; startsAt: string | null; endsAt: string | null }): string {
  return s.startsAt ? formatTimeRange(s.startsAt, s.endsAt) : s.date ? formatDate(s.date) : "日程未定";
}

/** 2026年12月1日(火) 10:40 from a local `YYYY-MM-DDTHH:mm`. */
export function formatOccurredAt(local: string): string {
  return `${formatDate(local.slice(0, 10))} ${local.slice(11, 16)}`;
}
