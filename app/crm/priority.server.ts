/**
 * The priority formula of priority.ts written in SQL, so the organisation list
 * can sort and filter 20,000 rows in the database without loading them.
 * Keep the two in step (tests/integration/crm-list.test.ts checks they agree).
 */
import type { Settings } from "../settings.server";
import { maxWeight, PRIORITY_FULL_HEADCOUNT, PRIORITY_FULL_RECENCY_DAYS, PRIORITY_UNKNOWN_YIELD } from "./priority";
import { ORGANISATION_KINDS } from "../../db/schema";
import { DONE_STATES } from "../visits/lifecycle";

/**
 * Aggregates of completed group visits per organisation: last visit date,
 * applications taken and applicants expected (visits with results only).
 */
export const VISIT_STATS_SQL = `
  select v.organisation_id as oid,
         max(v.date) as last_visit_on,
         coalesce(sum(r.accept_count + r.support_online_count + r.support_mail_count), 0) as past_apps,
         coalesce(sum(case when r.id is not null then coalesce(v.expected_applicants, 0) else 0 end), 0) as past_expected
  from visits v left join visit_results r on r.visit_id = v.id
  where v.kind = 'group' and v.status in (${DONE_STATES.map((s) => `'${s}'`).join(",")}) and v.organisation_id is not null
  group by v.organisation_id`;

/**
 * SQL expression of the score (0–100, unrounded) over aliases o (organisations),
 * d (districts) and vs (VISIT_STATS_SQL); today is a bound parameter.
 * Returns the expression text and its parameters, in order.
 */
export function priorityScoreSql(weights: Settings["priorityWeights"], today: string): { expr: string; params: (number | string)[] } {
  const total = maxWeight(weights);
  const scale = total > 0 ? 100 / total : 0;
  const kindCase = `(case o.kind ${ORGANISATION_KINDS.map(() => "when ? then ?").join(" ")} else 0 end)`;
  const kindParams = ORGANISATION_KINDS.flatMap((k) => [k, weights.kind[k] ?? 0]);
  const expr = `((
      ${kindCase}
    + ? * min(1.0, coalesce(o.expected_applicants, o.head_count, 0) / ${PRIORITY_FULL_HEADCOUNT}.0)
    + ? * (case when d.population > 0 then max(0.0, min(1.0, 1.0 - coalesce(d.cards_issued, 0) * 1.0 / d.population)) else 0.0 end)
    + ? * (case when vs.last_visit_on is null then 1.0 else max(0.0, min(1.0, (julianday(?) - julianday(vs.last_visit_on)) / ${PRIORITY_FULL_RECENCY_DAYS}.0)) end)
    + ? * (case when coalesce(vs.past_expected, 0) > 0 then max(0.0, min(1.0, vs.past_apps * 1.0 / vs.past_expected)) else ${PRIORITY_UNKNOWN_YIELD} end)
  ) * ${scale})`;
  return {
    expr,
    params: [...kindParams, weights.headCount, weights.districtGap, weights.recency, today, weights.yield],
  };
}
