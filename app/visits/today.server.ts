/** The Today view (今日の仕事) of one staff member. */
import { getDb, type Db } from "../db.server";
import { addDays, todayInTokyo } from "../lib/dates";
import { openSeriousIncidents } from "../onsite/incidents.server";
import { getSettings } from "../settings.server";
import type { OrganisationKind, Stage, VisitKind, VisitMode, VisitStatus } from "../../db/schema";
import { INACTIVE_STATES, statesWhere, upcomingStates, waitingOn } from "./lifecycle";
import { recentDecisionsFor } from "./queries.server";
import { lacksCityOfficial } from "./roster";
import { rosterSummaries } from "./roster.server";

/** Group visits before the city's decision whose next step is the contractor's (not yet with the city). */
const WAITING_ON_STAFF = statesWhere("undecided", "group").filter((s) => waitingOn(s) !== "city");
/** An SQL list of lifecycle states (fixed identifiers from the enum, never user input). */
const sqlList = (states: readonly VisitStatus[]) => states.map((s) => `'${s}'`).join(",");

const OPEN_STAGES = "('uncontacted','contacted','consulting','revisit')";

export function getToday(userId: number, db: Db = getDb()) {
  const c = db.$client;
  const today = todayInTokyo();
  const settings = getSettings(db);
  const staleSince = new Date(Date.now() - settings.staleLeadDays * 86_400_000).toISOString();

  const tasks = c
    .prepare(
      `select t.id, t.title, t.due_on as dueOn, o.id as organisationId, o.name as organisationName
       from tasks t left join organisations o on o.id = t.organisation_id
       where t.assignee_id = ? and t.done_at is null and t.due_on is not null and t.due_on <= ?
       order by t.due_on, t.id limit 100`,
    )
    .all(userId, today) as { id: number; title: string; dueOn: string; organisationId: number | null; organisationName: string | null }[];

  const noNextAction = c
    .prepare(
      `select o.id, o.name, o.kind, o.stage from organisations o
       where o.owner_id = ? and o.merged_into_id is null and o.next_action_on is null and o.stage in ${OPEN_STAGES}
       order by o.stage_changed_at limit 20`,
    )
    .all(userId) as { id: number; name: string; kind: OrganisationKind; stage: Stage }[];
  const noNextActionTotal = (
    c
      .prepare(
        `select count(*) as n from organisations o where o.owner_id = ? and o.merged_into_id is null and o.next_action_on is null and o.stage in ${OPEN_STAGES}`,
      )
      .get(userId) as { n: number }
  ).n;

  const stale = c
    .prepare(
      `select o.id, o.name, o.kind, o.stage, o.last_activity_at as lastActivityAt from organisations o
       where o.owner_id = ? and o.merged_into_id is null and o.stage in ${OPEN_STAGES}
         and coalesce(o.last_activity_at, o.created_at) < ?
       order by coalesce(o.last_activity_at, o.created_at) limit 20`,
    )
    .all(userId, staleSince) as { id: number; name: string; kind: OrganisationKind; stage: Stage; lastActivityAt: string | null }[];

  const waitingRequests = c
    .prepare(
      `select v.id, v.title, v.status, v.status_changed_at as statusChangedAt, o.id as organisationId, o.name as organisationName,
              r.receipt_no as receiptNo
       from visits v left join organisations o on o.id = v.organisation_id left join visit_requests r on r.id = v.request_id
       where v.kind = 'group' and v.status in (${sqlList(WAITING_ON_STAFF)}) and (v.owner_id = ? or v.owner_id is null)
       order by v.status_changed_at limit 50`,
    )
    .all(userId) as {
    id: number;
    title: string;
    status: VisitStatus;
    statusChangedAt: string;
    organisationId: number | null;
    organisationName: string | null;
    receiptNo: string | null;
  }[];

  const thisWeek = c
    .prepare(
      `select v.id, v.title, v.kind, v.date, v.starts_at as startsAt, v.ends_at as endsAt, v.expected_applicants as expectedApplicants,
              o.id as organisationId, o.name as organisationName
       from visits v left join organisations o on o.id = v.organisation_id
       where v.status in (${sqlList(upcomingStates())}) and v.date >= ? and v.date <= ? and (v.owner_id = ? or v.owner_id is null)
       order by v.date, v.starts_at limit 50`,
    )
    .all(today, addDays(today, 7), userId) as {
    id: number;
    title: string;
    kind: "group" | "roaming" | "base";
    date: string;
    startsAt: string | null;
    endsAt: string | null;
    expectedApplicants: number | null;
    organisationId: number | null;
    organisationName: string | null;
  }[];

  // The lifecycle module owns approvals; it gives the recent city decisions on my visits.
  const decisions = recentDecisionsFor(userId, { limit: 10, sinceDays: 14 }, db);

  // Serious and urgent incidents stay in everyone's view until closed (seed 000 §5(9)).
  const seriousIncidents = openSeriousIncidents(db);

  return { today, staleLeadDays: settings.staleLeadDays, tasks, noNextAction, noNextActionTotal, stale, waitingRequests, thisWeek, decisions, seriousIncidents, todaysSessions: todaysSessions(today, db) };
}

/**
 * 今日の予定: every visit and session of the day whoever owns it (cancelled
 * and declined ones left out), with its site lead and whether a 受付方式
 * session still lacks its city official.
 */
export function todaysSessions(today: string, db: Db = getDb()) {
  const rows = db.$client
    .prepare(
      `select v.id, v.kind, v.mode, v.status, v.title, v.starts_at as startsAt, v.ends_at as endsAt,
              o.name as organisationName, ve.name as venueName
       from visits v left join organisations o on o.id = v.organisation_id left join venues ve on ve.id = v.venue_id
       where v.date = ? and v.status not in (${sqlList(INACTIVE_STATES)})
       order by v.starts_at, v.id limit 50`,
    )
    .all(today) as { id: number; kind: VisitKind; mode: VisitMode; status: VisitStatus; title: string; startsAt: string | null; endsAt: string | null; organisationName: string | null; venueName: string | null }[];
  const rosters = rosterSummaries(
    rows.map((r) => r.id),
    db,
  );
  return rows.map((r) => {
    const roster = rosters.get(r.id) ?? { lead: null, count: 0, roles: [] };
    return { ...r, lead: roster.lead, rosterCount: roster.count, lacksCityOfficial: lacksCityOfficial(r.mode, roster.roles) };
  });
}
