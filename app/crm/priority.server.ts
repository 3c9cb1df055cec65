/**
 * The priority formula of priority.ts written in SQL, so the organisation list
 * can sort and filter 20,000 rows in the database without loading them.
 * Keep the two in step (tests/integration/crm-list.test.ts checks they agree).
 * The scores are stored (organisation_priorities) and refreshed before each
 * read of the list, so sorting 100,000 rows reads an index.
 */
import { writeTransaction, type Db } from "../db.server";
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

/**
 * Bring the stored scores (organisation_priorities) up to date before the list
 * reads them: rescore the organisations the triggers marked stale, the visited
 * ones when the day has changed (their recency part moves with it), and all of
 * them when the weights have changed. Two indexed reads when nothing changed.
 */
export function refreshPriorities(db: Db, weights: Settings["priorityWeights"], today: string) {
  const c = db.$client;
  const weightsText = JSON.stringify(weights);
  const basis = JSON.stringify({ weights: weightsText, today });
  const readBasis = () => (c.prepare("select basis from organisation_priorities_basis where id = 1").get() as { basis: string } | undefined)?.basis;
  const hasStale = () => c.prepare("select 1 from organisation_priorities_stale limit 1").get() !== undefined;
  if (readBasis() === basis && !hasStale()) return;
  writeTransaction(() => {
    // Read again inside the transaction: another connection may have refreshed meanwhile.
    const stored = readBasis();
    let all = false;
    if (stored !== basis) {
      const before = stored ? (JSON.parse(stored) as { weights: string; today: string }) : null;
      if (before?.weights === weightsText) {
        c.prepare(`insert or ignore into organisation_priorities_stale (organisation_id) select oid from (${VISIT_STATS_SQL})`).run();
      } else {
        all = true;
      }
    }
    const score = priorityScoreSql(weights, today);
    const scored = `select o.id, ${score.expr} from organisations o
      left join districts d on d.id = o.district_id
      left join (${VISIT_STATS_SQL}) vs on vs.oid = o.id`;
    if (all) {
      c.prepare("delete from organisation_priorities").run();
      c.prepare(`insert into organisation_priorities (organisation_id, score) ${scored}`).run(...score.params);
    } else {
      c.prepare(
        `insert or replace into organisation_priorities (organisation_id, score) ${scored}
         where o.id in (select organisation_id from organisation_priorities_stale)`,
      ).run(...score.params);
    }
    c.prepare("delete from organisation_priorities_stale").run();
    c.prepare("insert into organisation_priorities_basis (id, basis) values (1, ?) on conflict (id) do update set basis = excluded.basis").run(basis);
  }, db);
}
