/**
 * Labels of the tunable rules and how /admin/settings edits them, without zod:
 * that page imports these into the browser, and app/settings.ts (the schema,
 * classic zod) would bring zod's core with them into a chunk the public
 * /request page shares (issue 14). app/settings.ts re-exports them.
 */
import type { SettingKey } from "./settings";

export const SETTING_LABELS: Record<SettingKey, string> = {
  minNoticeDays: "申込から訪問日までの最短日数",
  minApplicants: "申請予定人数の下限",
  maxApplicants: "申請予定人数の上限",
  cancelCutoffDays: "団体が取消できる期限（訪問日の何日前まで）",
  monthlyReportDay: "月次報告書の提出期限（翌月の日）",
  dailyReportHour: "日次報告書の提出期限（翌営業日の時）",
  completionReportDays: "完了報告書の提出期限（最終実施日から日数）",
  assistanceCategories: "その他対応の内訳",
  kitItems: "持ち物チェックの項目",
  inquiryCategories: "問合せの分類",
  fallbackReasons: "受付方式からサポート方式への切替理由",
  photoMaxMegabytes: "現場写真の上限サイズ（MB）",
  setupMinutes: "設営時間（分）",
  teardownMinutes: "撤去時間（分）",
  travelMinutes: "移動時間（分）",
  approvalWarnDays: "承認依頼が遅いと警告する日数",
  approvalStaleDays: "承認待ちを滞留とみなす日数（営業日）",
  staleLeadDays: "活動のない見込み団体を停滞とみなす日数",
  reminderDaysBefore: "リマインドメールを送る日数（訪問日の何日前）",
  postalLookupUrl: "郵便番号検索サービスのURL",
  requestRateLimitPerHour: "申込の受付上限（1時間・1アドレスあたり）",
  closedDates: "実施しない日",
  openedDates: "年末年始でも実施する日（管理者が開ける日）",
  headcountReapprovalPercent: "確定後の人数変更で市の再承認が必要になる増減の割合（%）",
  windowPhone: "窓口の電話番号",
  windowHours: "窓口の受付時間",
  windowAddress: "窓口の所在地",
  priorityWeights: "優先度の重み",
};

/** The settings edited as one whole number each on /admin/settings. */
export const SETTINGS_NUMBER_KEYS = [
  "minNoticeDays",
  "minApplicants",
  "maxApplicants",
  "cancelCutoffDays",
  "monthlyReportDay",
  "dailyReportHour",
  "completionReportDays",
  "setupMinutes",
  "teardownMinutes",
  "travelMinutes",
  "approvalWarnDays",
  "approvalStaleDays",
  "staleLeadDays",
  "reminderDaysBefore",
  "requestRateLimitPerHour",
  "headcountReapprovalPercent",
  "photoMaxMegabytes",
] as const satisfies readonly SettingKey[];

/** The `key:label` list settings edited as one line per item on /admin/settings, with the hint shown there. */
export const SETTINGS_LIST_KEYS = {
  assistanceCategories: "日次報告の「その他対応件数」の内訳。",
  kitItems: "出発前に確認する持ち物。",
  inquiryCategories: "問合せ記録と完了報告の分類。",
  fallbackReasons: "受付方式からサポート方式に切り替えた理由。",
} as const satisfies Partial<Record<SettingKey, string>>;
export type SettingListKey = keyof typeof SETTINGS_LIST_KEYS;
