/**
 * Comparing report versions: whether the figures changed since a version was
 * frozen, and what changed, in words, for the new version's 訂正内容. Pure.
 */
import { VISIT_KIND_LABELS, labelOf } from "../lib/labels";
import type { Categories, Counts, DailyBody, ReportBody, SessionLine } from "./types";
import { INCIDENT_KIND_LABELS } from "../onsite/labels";

/** The counted fields of Counts with their report names. */
export const COUNT_FIELDS: readonly (readonly [keyof Counts, string])[] = [
  ["sessions", "実施回数"],
  ["hours", "実施時間"],
  ["accept", "受付方式"],
  ["supportOnline", "サポート方式（オンライン）"],
  ["supportMail", "サポート方式（郵送）"],
  ["applications", "申請件数"],
  ["inCity", "市内"],
  ["outOfCity", "市外"],
  ["fallback", "受付方式からの切替"],
  ["inquiries", "現地での問合せ"],
];

/** JSON with object keys sorted, so two equal bodies give equal text whatever order their keys were written in. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_k, v) =>
    v && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(
          Object.keys(v)
            .sort()
            .map((k) => [k, (v as Record<string, unknown>)[k]])
        )
      : v
  );
}

/**
 * The figures of a body: everything but its header and category labels
 * (a renamed program or category is not a correction). Photos deleted since
 * by retention are left out: their deletion is not a correction either.
 */
export function figuresOf(body: ReportBody, photoExists?: (id: number) => boolean): unknown {
  const { header: _h, categories: _c, ...figures } = body;
  if (figures.kind === "daily" && photoExists) {
    return { ...figures, sessions: figures.sessions.map((s) => ({ ...s, photos: s.photos.filter((p) => photoExists(p.id)) })) };
  }
  return figures;
}

export function sameFigures(frozen: ReportBody, live: ReportBody, photoExists?: (id: number) => boolean): boolean {
  return canonicalJson(figuresOf(frozen, photoExists)) === canonicalJson(figuresOf(live));
}

function countChanges(where: string, a: Counts, b: Counts, categories: Categories): string[] {
  const out: string[] = [];
  const unit = (k: keyof Counts) => (k === "hours" ? "時間" : k === "sessions" ? "回" : "件");
  for (const [k, label] of COUNT_FIELDS) if (a[k] !== b[k]) out.push(`${where}: ${label} ${a[k]} → ${b[k]}${unit(k)}`);
  for (const key of new Set([...Object.keys(a.otherAssistance), ...Object.keys(b.otherAssistance)])) {
    const x = a.otherAssistance[key] ?? 0;
    const y = b.otherAssistance[key] ?? 0;
    if (x !== y) out.push(`${where}: ${labelOf(categories.assistance, key)} ${x} → ${y}件`);
  }
  for (const key of new Set([...Object.keys(a.fallbackReasons), ...Object.keys(b.fallbackReasons)])) {
    const x = a.fallbackReasons[key] ?? 0;
    const y = b.fallbackReasons[key] ?? 0;
    if (x !== y) out.push(`${where}: 切替理由「${labelOf(categories.fallbackReasons, key)}」 ${x} → ${y}件`);
  }
  return out;
}

const nameOf = (s: SessionLine) => `${s.place}（${VISIT_KIND_LABELS[s.kind]}）`;

function dailyChanges(prev: DailyBody, next: DailyBody, categories: Categories): string[] {
  const out: string[] = [];
  const before = new Map(prev.sessions.map((s) => [s.visitId, s]));
  const after = new Map(next.sessions.map((s) => [s.visitId, s]));
  for (const s of prev.sessions) if (!after.has(s.visitId)) out.push(`${nameOf(s)}: 報告から外れました`);
  for (const s of next.sessions) {
    const p = before.get(s.visitId);
    if (!p) {
      out.push(`${nameOf(s)}: 追加（申請 ${s.counts.applications}件）`);
      continue;
    }
    out.push(...countChanges(nameOf(s), p.counts, s.counts, categories));
    if ((p.notes ?? "") !== (s.notes ?? "")) out.push(`${nameOf(s)}: 特記事項を変更`);
    const pi = new Map(p.incidents.map((i) => [i.id, i]));
    for (const i of s.incidents) {
      const old = pi.get(i.id);
      if (!old) out.push(`${nameOf(s)}: ${INCIDENT_KIND_LABELS[i.kind]}を追加`);
      else if (canonicalJson(old) !== canonicalJson(i)) out.push(`${nameOf(s)}: ${INCIDENT_KIND_LABELS[i.kind]}の記録を更新${i.closed && !old.closed ? "（対応完了）" : ""}`);
    }
    const ni = new Set(s.incidents.map((i) => i.id));
    for (const i of p.incidents) if (!ni.has(i.id)) out.push(`${nameOf(s)}: ${INCIDENT_KIND_LABELS[i.kind]}の記録を削除`);
    const pp = new Set(p.photos.map((x) => x.id));
    const np = new Set(s.photos.map((x) => x.id));
    const added = s.photos.filter((x) => !pp.has(x.id)).length;
    const removed = p.photos.filter((x) => !np.has(x.id)).length;
    if (added) out.push(`${nameOf(s)}: 写真を${added}枚追加`);
    if (removed) out.push(`${nameOf(s)}: 写真を${removed}枚削除`);
  }
  out.push(...countChanges("当日の合計", prev.totals, next.totals, categories).filter((l) => !l.includes("実施時間")));
  return out;
}

const SECTION_NAMES: Record<string, string> = {
  byKind: "種別ごとの集計",
  byPlace: "場所ごとの集計",
  byOrganisationKind: "団体の種類ごとの集計",
  days: "日ごとの集計",
  incidents: "事故・苦情の件数",
  pr: "広報活動",
  inquiries: "問合せ",
  analysis: "分析",
  byMonth: "月ごとの集計",
  byKindMode: "種別・方式ごとの集計",
  targets: "目標と実績",
  firstSessionDate: "実施期間",
  lastSessionDate: "実施期間",
};

/** What changed between two versions, one line each (the new version's 訂正内容). */
export function describeChanges(prev: ReportBody, next: ReportBody): string[] {
  const categories = next.categories;
  if (prev.kind === "daily" && next.kind === "daily") return dailyChanges(prev, next, categories);
  if (prev.kind !== next.kind) return ["報告書の種類が違います"];
  const out = countChanges(prev.kind === "monthly" ? "月の合計" : "期間の合計", prev.totals, next.totals, categories);
  const a = prev as unknown as Record<string, unknown>;
  const b = next as unknown as Record<string, unknown>;
  const sections = new Set<string>();
  for (const key of Object.keys(SECTION_NAMES)) {
    if (key in b && canonicalJson(a[key]) !== canonicalJson(b[key])) sections.add(SECTION_NAMES[key]);
  }
  for (const s of sections) out.push(`${s}を更新`);
  return out;
}
