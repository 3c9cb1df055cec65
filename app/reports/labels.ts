/** Japanese labels the reports print (browser-safe). */
import type { IncidentKind, IncidentSeverity, InquiryChannel, PrMedium, ReportStatus, VisitMode } from "../../db/enums";

/** Short names of the modes for report columns. */
export const SUPPORT_CHANNEL_LABELS: Record<VisitMode, string> = { accept: "受付方式", support: "サポート方式" };

export const INCIDENT_KIND_LABELS: Record<IncidentKind, string> = { accident: "事故", complaint: "苦情", other: "その他" };
export const INCIDENT_SEVERITY_LABELS: Record<IncidentSeverity, string> = { minor: "軽微", serious: "重大", urgent: "緊急" };
export const INQUIRY_CHANNEL_LABELS: Record<InquiryChannel, string> = { phone: "電話", site: "現地", email: "メール", counter: "窓口" };
export const PR_MEDIUM_LABELS: Record<PrMedium, string> = {
  flyer: "チラシ",
  poster: "ポスター",
  web: "ホームページ",
  sns: "SNS",
  newsletter: "広報誌",
  radio: "ラジオ",
  event: "イベント",
  tv: "テレビ",
  newspaper: "新聞・広報誌",
  other: "その他",
};

export const REPORT_STATUS_LABELS: Record<ReportStatus, string> = { draft: "下書き", submitted: "提出済", acknowledged: "市確認済" };

/** Where a report period stands (the /reports list and the home pages). */
export type ReportState = "in_progress" | "not_ready" | "open" | "changed" | "submitted" | "acknowledged";
export const REPORT_STATE_LABELS: Record<ReportState, string> = {
  in_progress: "期間中",
  not_ready: "実績未入力あり",
  open: "未提出",
  changed: "訂正あり・再提出待ち",
  submitted: "提出済（市の確認待ち）",
  acknowledged: "市確認済",
};

/**
 * The label of a category key as the report's frozen categories name it (a key
 * removed since shows as itself). Same rule as labelOf() in app/settings.ts,
 * kept here so report pages do not load the settings' zod schemas in the browser.
 */
export function categoryLabel(items: readonly { key: string; label: string }[], key: string): string {
  return items.find((i) => i.key === key)?.label ?? key;
}
