/**
 * The audit log in Japanese: every action code and target (entity) written
 * by audit() has its label here, and nowhere else (the /admin/audit page, its
 * filters and its CSV all read this module). Pure, so the page's form can use
 * it in the browser.
 */
import { isValidYmd } from "./dates";
import { parseId } from "./ids";

/** 操作: action code → what a person reads. Grouped by area; the filter lists them in this order. */
export const AUDIT_ACTION_LABELS: Record<string, string> = {
  // サインイン・利用者
  "auth.login": "サインイン",
  "auth.logout": "サインアウト",
  "auth.login_failed": "サインイン失敗",
  "auth.login_locked": "サインイン拒否（ロック中）",
  "auth.locked": "アカウントをロック",
  "auth.login_refused_ip": "サインイン拒否（接続元）",
  "auth.forbidden": "権限のない操作を拒否",
  "auth.sessions_revoked": "サインインをすべて終了",
  "user.created": "利用者を追加",
  "user.password_reset": "パスワードを再設定",
  "user.password_changed": "自分のパスワードを変更",
  "user.activated": "利用者を有効化",
  "user.deactivated": "利用者を無効化",
  "user.unlocked": "ロックを解除",
  "calendar.token_regenerated": "カレンダー購読URLを再発行",
  // 管理
  "settings.updated": "設定を変更",
  "outbox.view": "送信メールを閲覧",
  "outbox.download": "送信メールをダウンロード",
  "outbox.retry": "送信メールを再送",
  "outbox.acknowledge": "送信失敗を確認済にした",
  "audit.export": "操作記録をCSV出力",
  // 団体（CRM）
  "crm.organisation_view": "団体を閲覧",
  "crm.organisation_update": "団体を更新",
  "crm.organisations_export": "団体一覧をCSV出力",
  "crm.organisations_import": "団体をCSV取込",
  "crm.organisations_merge": "団体を統合",
  "crm.districts_import": "地区をCSV取込",
  "crm.proposal_apply": "申込内容を団体に反映",
  "crm.proposal_dismiss": "申込内容の反映を見送り",
  "task.create": "タスクを追加",
  // 訪問・予定
  "visit.view": "訪問を閲覧",
  "visit.contact_view": "団体の連絡先を表示",
  "visit.schedule": "訪問の日時・会場を変更",
  "visit.create_session": "巡回・拠点の予定を作成",
  "visit.start_screening": "調整を開始",
  "visit.submit_for_approval": "市へ承認を依頼",
  "visit.approve": "市が承認",
  "visit.request_changes": "市が修正を依頼",
  "visit.decline": "市が見送り",
  "visit.cancel": "訪問・予定を取消",
  "visit.organisation_cancel": "団体が申込を取消",
  "visit.complete": "実施済にした",
  "visit.reschedule_approved": "確定内容を変更（再承認待ち）",
  "visit.agree_schedule": "市が月間予定に合意",
  "visit.return_schedule": "市が月間予定の一部を差し戻し",
  "visit.replan": "予定を変更（再合意待ち）",
  "visit.results.record": "実績を入力",
  "visit.results.correct": "実績を修正",
  "roster.add": "従事者を配置",
  "roster.remove": "従事者の配置を外す",
  "staff_member.create": "従事者を名簿に追加",
  "staff_member.update": "従事者の名簿を更新",
  "staff_member.activate": "従事者を名簿で有効化",
  "staff_member.deactivate": "従事者を名簿で無効化",
  "staff_member.list_view": "従事者名簿を閲覧",
  "venue.create": "会場を追加",
  "venue.update": "会場を更新",
  "venue.activate": "会場を有効化",
  "venue.deactivate": "会場を無効化",
  "photo.upload": "現場写真を追加",
  "photo.delete": "現場写真を削除",
  // 当日・報告
  "incident.created": "事故・苦情を記録",
  "incident.updated": "事故・苦情を更新",
  "incident.closed": "事故・苦情を完了",
  "incident.view": "事故報告書を閲覧",
  "incident.list_viewed": "事故・苦情の一覧を閲覧",
  "inquiry.updated": "問合せ記録を更新",
  "inquiry.deleted": "問合せ記録を削除",
  "pr.created": "広報活動を追加",
  "pr.updated": "広報活動を更新",
  "pr.done": "広報活動を実施済にした",
  "report.submitted": "報告書を提出",
  "report.acknowledged": "市が報告書を確認",
  "reports.due_mail": "報告書の期限メールを送信",
  "city.digest": "市への朝のお知らせメールを送信",
};

/** 対象: entity code → label. */
export const AUDIT_ENTITY_LABELS: Record<string, string> = {
  user: "利用者",
  organisation: "団体",
  visit: "訪問・予定",
  schedule_month: "月間予定",
  venue: "会場",
  task: "タスク",
  import_job: "CSV取込",
  district: "地区",
  email_outbox: "送信メール",
  incident: "事故・苦情",
  inquiry: "問合せ",
  pr_activity: "広報活動",
  report: "報告書",
  site_photo: "現場写真",
  staff_member: "従事者",
  settings: "設定",
  digest: "定時メール",
  audit_log: "操作記録",
};

/** A code nobody labelled yet still shows, marked, rather than disappearing. */
export function auditActionLabel(action: string): string {
  return AUDIT_ACTION_LABELS[action] ?? `その他の操作（${action}）`;
}

export function auditEntityLabel(entity: string | null | undefined): string {
  if (!entity) return "";
  return AUDIT_ENTITY_LABELS[entity] ?? `その他（${entity}）`;
}

/** 「団体 #12」, 「月間予定 2026-11」 */
export function auditTargetLabel(entity: string | null | undefined, entityId: string | null | undefined): string {
  if (!entity) return "";
  return entityId ? `${auditEntityLabel(entity)} ${/^\d+$/.test(entityId) ? `#${entityId}` : entityId}` : auditEntityLabel(entity);
}

/** The detail column: key=value pairs on one line (values as JSON only when they are not plain). */
export function auditDetailText(detail: unknown): string {
  if (detail == null) return "";
  if (typeof detail !== "object" || Array.isArray(detail)) return JSON.stringify(detail);
  return Object.entries(detail as Record<string, unknown>)
    .map(([k, v]) => `${k}: ${typeof v === "string" || typeof v === "number" || typeof v === "boolean" ? String(v) : JSON.stringify(v)}`)
    .join("、");
}

// ---------------------------------------------------------------------------
// Filters (a GET form, so they live in the URL: the page, its paging and the CSV share them)

export type AuditFilters = {
  /** A user's id, "system" (no user: timers, the organisation's own actions), or null: everyone. */
  user: number | "system" | null;
  action: string | null;
  entity: string | null;
  entityId: string | null;
  /** Tokyo days, inclusive. */
  from: string | null;
  to: string | null;
};

/** Read the filters from a query string; anything unreadable is ignored (the page says which). */
export function parseAuditFilters(params: URLSearchParams): { filters: AuditFilters; problems: string[] } {
  const problems: string[] = [];
  const text = (k: string) => (params.get(k) ?? "").trim();
  const rawUser = text("user");
  const user = rawUser === "system" ? "system" : rawUser ? parseId(rawUser) : null;
  if (rawUser && user == null) problems.push("利用者の指定が読めません。一覧から選び直してください。");
  const action = text("action");
  const entity = text("entity");
  const entityId = text("entityId").slice(0, 40);
  const date = (k: string, label: string) => {
    const v = text(k);
    if (!v) return null;
    if (isValidYmd(v)) return v;
    problems.push(`${label}は「2026-11-01」の形の日付で指定してください。`);
    return null;
  };
  let from = date("from", "開始日");
  let to = date("to", "終了日");
  if (from && to && from > to) {
    problems.push("開始日が終了日より後になっていたため、入れ替えました。");
    [from, to] = [to, from];
  }
  return {
    filters: {
      user,
      action: action && /^[a-z_.]{1,60}$/.test(action) ? action : null,
      entity: entity && /^[a-z_]{1,40}$/.test(entity) ? entity : null,
      entityId: entityId || null,
      from,
      to,
    },
    problems,
  };
}

/** The filters back as a query string (paging and the CSV link keep them). */
export function auditFiltersQuery(f: AuditFilters): string {
  const p = new URLSearchParams();
  if (f.user != null) p.set("user", String(f.user));
  if (f.action) p.set("action", f.action);
  if (f.entity) p.set("entity", f.entity);
  if (f.entityId) p.set("entityId", f.entityId);
  if (f.from) p.set("from", f.from);
  if (f.to) p.set("to", f.to);
  return p.toString();
}
