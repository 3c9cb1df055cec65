/**
 * Japanese labels of the reports' own states (browser-safe). The words the
 * reports share with the rest of the app live in one place each: visit kinds
 * and modes in app/lib/labels.ts, incidents, inquiry channels and PR media in
 * app/onsite/labels.ts.
 */
import type { ReportStatus } from "../../db/enums";

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
