/** Japanese labels of CRM code values (pure; used by the CRM screens). */
export const ACTIVITY_KIND_LABELS: Record<string, string> = {
  call: "電話",
  email: "メール",
  meeting: "打合せ",
  visit: "訪問",
  note: "メモ",
  stage_change: "段階の変更",
  request: "申込",
  approval: "市の判断",
  result: "実施結果",
  task: "タスク",
  import: "取込",
  merge: "統合",
};

export const APPROVAL_DECISION_LABELS: Record<string, string> = {
  approved: "承認",
  changes_requested: "修正依頼",
  declined: "見送り",
  agreed: "合意",
};

/** Whole days between an ISO instant and now, for "この段階で12日". */
export function daysSince(iso: string | null | undefined, now: Date = new Date()): number | null {
  if (!iso) return null;
  const t = Date.parse(iso);
  if (!Number.isFinite(t)) return null;
  return Math.max(0, Math.floor((now.getTime() - t) / 86_400_000));
}

/** Kinds staff log by hand on the organisation page. */
export const ACTIVITY_LOG_KINDS = ["call", "email", "meeting", "visit", "note"] as const;
