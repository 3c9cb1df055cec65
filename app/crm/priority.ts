/**
 * Priority score of an organisation for outreach (申請ニーズの高い団体の抽出).
 * Pure: the organisation page shows the breakdown from here, and the list
 * sorts by the same formula written in SQL (priority.server.ts); an
 * integration test keeps the two equal.
 *
 * Every part is a number from 0 to 1 multiplied by its weight
 * (settings.priorityWeights); the score is the weighted sum scaled to 0–100.
 */
import type { OrganisationKind } from "../../db/schema";

export type PriorityWeights = {
  kind: Record<string, number>;
  headCount: number;
  districtGap: number;
  recency: number;
  yield: number;
};

export type PriorityInput = {
  kind: OrganisationKind;
  headCount: number | null;
  expectedApplicants: number | null;
  /** District population and cards issued (null: no district). */
  districtPopulation: number | null;
  districtCardsIssued: number | null;
  /** Date (YYYY-MM-DD) of the last completed visit, null when never visited. */
  lastVisitOn: string | null;
  /** Sums over completed visits with results: applications taken and applicants expected. */
  pastApplications: number;
  pastExpected: number;
  /** Today (YYYY-MM-DD). */
  today: string;
};

export type PriorityPart = {
  key: "kind" | "headCount" | "districtGap" | "recency" | "yield";
  label: string;
  /** 0–1 before weighting. */
  value: number;
  weight: number;
  /** value × weight × scale: what this part adds to the score. */
  points: number;
  explanation: string;
};

export type PriorityResult = { score: number; parts: PriorityPart[] };

/** Head-count at which the size part is full. */
export const PRIORITY_FULL_HEADCOUNT = 100;
/** Days since the last visit at which the recency part is full. */
export const PRIORITY_FULL_RECENCY_DAYS = 365;
/** Yield part when the organisation has no past visit to learn from. */
export const PRIORITY_UNKNOWN_YIELD = 0.5;

const clamp01 = (n: number) => (Number.isFinite(n) ? Math.min(1, Math.max(0, n)) : 0);

function daysFrom(fromYmd: string, toYmd: string): number {
  return Math.round((Date.parse(`${toYmd}T00:00:00Z`) - Date.parse(`${fromYmd}T00:00:00Z`)) / 86_400_000);
}

/** The largest score the weights allow: the denominator that scales to 0–100. */
export function maxWeight(w: PriorityWeights): number {
  const kindMax = Math.max(0, ...Object.values(w.kind));
  return kindMax + w.headCount + w.districtGap + w.recency + w.yield;
}

export function priorityScore(input: PriorityInput, w: PriorityWeights): PriorityResult {
  const total = maxWeight(w);
  const scale = total > 0 ? 100 / total : 0;
  const size = input.expectedApplicants ?? input.headCount ?? 0;
  const gap =
    input.districtPopulation && input.districtPopulation > 0
      ? clamp01(1 - (input.districtCardsIssued ?? 0) / input.districtPopulation)
      : 0;
  const sinceDays = input.lastVisitOn ? Math.max(0, daysFrom(input.lastVisitOn, input.today)) : null;
  const recency = sinceDays === null ? 1 : clamp01(sinceDays / PRIORITY_FULL_RECENCY_DAYS);
  const yieldValue = input.pastExpected > 0 ? clamp01(input.pastApplications / input.pastExpected) : PRIORITY_UNKNOWN_YIELD;

  const kindWeight = w.kind[input.kind] ?? 0;
  const part = (key: PriorityPart["key"], label: string, value: number, weight: number, explanation: string): PriorityPart => ({
    key,
    label,
    value,
    weight,
    points: value * weight * scale,
    explanation,
  });
  const parts: PriorityPart[] = [
    // The kind part is the kind's weight itself (value 1 × weight).
    part("kind", "団体の種類", 1, kindWeight, `種類ごとの重み ${kindWeight}`),
    part(
      "headCount",
      "人数",
      clamp01(size / PRIORITY_FULL_HEADCOUNT),
      w.headCount,
      size > 0 ? `申請見込み・人数 ${size}人（${PRIORITY_FULL_HEADCOUNT}人以上で満点）` : "人数が未登録",
    ),
    part(
      "districtGap",
      "地区の未取得率",
      gap,
      w.districtGap,
      input.districtPopulation ? `地区のカード未取得率 ${Math.round(gap * 100)}%` : "地区が未登録",
    ),
    part(
      "recency",
      "前回訪問からの期間",
      recency,
      w.recency,
      sinceDays === null ? "まだ訪問していない" : `前回の訪問から${sinceDays}日（${PRIORITY_FULL_RECENCY_DAYS}日以上で満点）`,
    ),
    part(
      "yield",
      "過去の実績",
      yieldValue,
      w.yield,
      input.pastExpected > 0
        ? `過去の申請 ${input.pastApplications}件 ÷ 見込み ${input.pastExpected}人 = ${Math.round((input.pastApplications / input.pastExpected) * 100)}%`
        : "過去の実績なし（中間値）",
    ),
  ];
  const score = Math.round(parts.reduce((s, p) => s + p.points, 0));
  return { score, parts };
}

/** Priority bands used by the list filter (高 / 中 / 低). */
export const PRIORITY_BANDS = {
  high: { label: "高（70以上）", min: 70, max: 101 },
  mid: { label: "中（40〜69）", min: 40, max: 70 },
  low: { label: "低（40未満）", min: -1, max: 40 },
} as const;
export type PriorityBand = keyof typeof PRIORITY_BANDS;
