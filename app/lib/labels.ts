/** Japanese labels of the domain's code values: one place for every screen, email and export. */
import type { OrganisationKind, Stage, VisitKind, VisitMode, VisitStatus } from "../../db/schema";

export const ORGANISATION_KIND_LABELS: Record<OrganisationKind, string> = {
  company: "企業・事業所",
  neighbourhood: "町内会・自治会",
  welfare: "福祉施設",
  school: "学校・保育施設",
  medical: "医療機関",
  other: "その他",
};

export const VISIT_KIND_LABELS: Record<VisitKind, string> = {
  group: "団体訪問",
  roaming: "巡回",
  base: "拠点施設",
};

/** Short text marker shown with the kind's colour (colour is never the only signal). */
export const VISIT_KIND_MARKERS: Record<VisitKind, string> = {
  group: "団",
  roaming: "巡",
  base: "拠",
};

export const VISIT_MODE_LABELS: Record<VisitMode, string> = {
  accept: "出張申請受付方式",
  support: "出張申請サポート方式",
};

/** The modes' short names (report columns, session titles). */
export const VISIT_MODE_SHORT_LABELS: Record<VisitMode, string> = { accept: "受付方式", support: "サポート方式" };

/** Staff-facing status names. */
export const VISIT_STATUS_LABELS: Record<VisitStatus, string> = {
  requested: "受付済",
  screening: "調整中",
  awaiting_city: "市の承認待ち",
  changes_requested: "修正依頼",
  approved: "確定",
  completed: "実施済",
  declined: "見送り（市）",
  cancelled: "取消",
  planned: "計画中",
  agreed: "市と合意済",
};

/** What an organisation sees on its status page (plain Japanese). */
export const REQUEST_STATUS_LABELS: Record<VisitStatus, string> = {
  requested: "受付済",
  screening: "調整中",
  awaiting_city: "市の承認待ち",
  changes_requested: "調整中",
  approved: "確定",
  completed: "実施済",
  declined: "見送り",
  cancelled: "取消",
  planned: "調整中",
  agreed: "確定",
};

export type Tone = "neutral" | "info" | "warn" | "ok" | "danger";

export const VISIT_STATUS_TONES: Record<VisitStatus, Tone> = {
  requested: "info",
  screening: "info",
  awaiting_city: "warn",
  changes_requested: "warn",
  approved: "ok",
  completed: "neutral",
  declined: "danger",
  cancelled: "danger",
  planned: "info",
  agreed: "ok",
};

export const STAGE_LABELS: Record<Stage, string> = {
  uncontacted: "未接触",
  contacted: "接触済",
  consulting: "協議中",
  applied: "申込受付",
  awaiting_city: "市承認待ち",
  confirmed: "実施確定",
  visited: "実施済",
  lost: "見送り",
  revisit: "再訪候補",
};

export const TIME_SLOT_LABELS = { am: "午前", pm: "午後", allday: "終日" } as const;
export const PARKING_LABELS = { yes: "あり", no: "なし", ask: "要相談" } as const;

export const VENUE_KIND_LABELS = {
  supermarket: "スーパーマーケット",
  bank: "金融機関",
  public_facility: "公共施設",
  community_hall: "集会場・市民センター",
  shopping_centre: "商業施設",
  organisation_site: "団体の施設",
  other: "その他",
} as const;

export const ROLE_HOME_TITLES = {
  admin: "管理",
  manager: "今日の仕事",
  outreach: "今日の仕事",
  city: "承認待ち一覧",
} as const;

/**
 * The label of a key in a list setting (or in a report's frozen copy of one);
 * a key removed from the settings since shows as itself. Here, not in
 * app/settings.ts, so pages can use it without loading the settings' schemas.
 */
export function labelOf(items: readonly { key: string; label: string }[], key: string): string {
  return items.find((i) => i.key === key)?.label ?? key;
}
