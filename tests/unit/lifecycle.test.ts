import { describe, expect, it } from "vitest";
import { VISIT_STATUSES, type VisitKind, type VisitStatus } from "../../db/schema";
import {
  actorMay,
  allowedTransitions,
  checkTransition,
  holdsCar,
  initialState,
  isFinal,
  isPublic,
  keepsReason,
  lifecycleTable,
  organisationMayCancel,
  placementTransition,
  reapprovalFor,
  requiresComment,
  statesWhere,
  transitionFrom,
  TRANSITION_NAMES,
  upcomingStates,
  waitingOn,
  type Actor,
  type ApprovalSnapshot,
} from "../../app/visits/lifecycle";

/**
 * The expected machine, written out by hand (not derived from the module):
 * `kind-track | from | transition | actors → to`. Every (kind, state,
 * transition, actor) not listed here must be refused.
 */
const STAFF = "admin,manager,outreach";
const EXPECTED = `
group   | requested         | start_screening     | ${STAFF}     | screening
group   | screening         | submit_for_approval | ${STAFF}     | awaiting_city
group   | changes_requested | submit_for_approval | ${STAFF}     | awaiting_city
group   | awaiting_city     | approve             | city         | approved
group   | awaiting_city     | request_changes     | city         | changes_requested
group   | awaiting_city     | decline             | city         | declined
group   | requested         | cancel              | ${STAFF}     | cancelled
group   | screening         | cancel              | ${STAFF}     | cancelled
group   | changes_requested | cancel              | ${STAFF}     | cancelled
group   | awaiting_city     | cancel              | ${STAFF}     | cancelled
group   | approved          | cancel              | ${STAFF}     | cancelled
group   | requested         | organisation_cancel | organisation | cancelled
group   | screening         | organisation_cancel | organisation | cancelled
group   | changes_requested | organisation_cancel | organisation | cancelled
group   | awaiting_city     | organisation_cancel | organisation | cancelled
group   | approved          | organisation_cancel | organisation | cancelled
group   | approved          | complete            | ${STAFF}     | completed
group   | approved          | reschedule_approved | ${STAFF}     | awaiting_city
session | planned           | agree_schedule      | city         | agreed
session | planned           | cancel              | ${STAFF}     | cancelled
session | agreed            | cancel              | ${STAFF}     | cancelled
session | agreed            | complete            | ${STAFF}     | completed
session | agreed            | replan              | ${STAFF}     | planned
`;

type Key = string;
const expected = new Map<Key, VisitStatus>();
for (const line of EXPECTED.trim().split("\n")) {
  const [track, from, transition, actors, to] = line.split("|").map((s) => s.trim());
  for (const actor of actors.split(",")) expected.set(`${track}|${from}|${transition}|${actor}`, to as VisitStatus);
}

const KINDS: VisitKind[] = ["group", "roaming", "base"];
const ACTORS: Actor[] = ["admin", "manager", "outreach", "city", "organisation"];
// Include a name the machine does not know: it must be refused too.
const TRANSITIONS = [...TRANSITION_NAMES, "teleport"];

const cases = KINDS.flatMap((kind) =>
  VISIT_STATUSES.flatMap((from) =>
    TRANSITIONS.flatMap((transition) =>
      ACTORS.map((actor) => {
        const track = kind === "group" ? "group" : "session";
        return { kind, from, transition, actor, to: expected.get(`${track}|${from}|${transition}|${actor}`) ?? null };
      }),
    ),
  ),
);

describe("visit lifecycle: every (kind, state, transition, role)", () => {
  it("covers the full cross product", () => {
    expect(cases.length).toBe(KINDS.length * VISIT_STATUSES.length * TRANSITIONS.length * ACTORS.length);
    expect(cases.filter((c) => c.to).length).toBe([...expected.keys()].length * 1 + [...expected.keys()].filter((k) => k.startsWith("session")).length);
  });

  it.each(cases)("$kind $from --$transition--> by $actor: $to", ({ kind, from, transition, actor, to }) => {
    // A comment is always given here; the comment rule is tested below.
    const result = checkTransition({ kind, from, transition, actor, comment: "理由" });
    if (to) {
      expect(result).toMatchObject({ ok: true, to });
    } else {
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.message).toMatch(/[ぁ-んァ-ヶ一-龠]/);
    }
  });
});

describe("refusals say why, in Japanese", () => {
  it("tells staff that only the city approves (separation of duties)", () => {
    for (const actor of ["admin", "manager", "outreach"] as const) {
      const r = checkTransition({ kind: "group", from: "awaiting_city", transition: "approve", actor });
      expect(r).toEqual({ ok: false, message: "「承認する」は市職員のみが行えます。" });
    }
  });

  it("names the current state when the transition does not start there", () => {
    const r = checkTransition({ kind: "group", from: "requested", transition: "complete", actor: "outreach" });
    expect(r).toEqual({ ok: false, message: "「受付済」の状態からは「実施済にする」はできません。画面を再読み込みして、現在の状態を確認してください。" });
  });

  it("requires a comment for change requests, declines and staff cancellations, but not for an organisation's own cancellation", () => {
    for (const transition of ["request_changes", "decline"]) {
      const r = checkTransition({ kind: "group", from: "awaiting_city", transition, actor: "city", comment: "  " });
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.message).toContain("理由");
    }
    expect(checkTransition({ kind: "group", from: "approved", transition: "cancel", actor: "outreach" }).ok).toBe(false);
    expect(checkTransition({ kind: "roaming", from: "planned", transition: "cancel", actor: "outreach" }).ok).toBe(false);
    expect(checkTransition({ kind: "group", from: "approved", transition: "organisation_cancel", actor: "organisation" }).ok).toBe(true);
    expect(checkTransition({ kind: "group", from: "awaiting_city", transition: "approve", actor: "city" }).ok).toBe(true);
  });
});

describe("what the screens offer", () => {
  it("offers the city approve / request changes / decline on a waiting visit, and staff only cancel", () => {
    expect(allowedTransitions("group", "awaiting_city", "city").map((t) => t.name)).toEqual(["approve", "request_changes", "decline"]);
    expect(allowedTransitions("group", "awaiting_city", "outreach").map((t) => t.name)).toEqual(["cancel"]);
    expect(allowedTransitions("group", "approved", "manager").map((t) => t.name)).toEqual(["cancel", "complete"]);
    expect(allowedTransitions("group", "completed", "admin")).toEqual([]);
    expect(allowedTransitions("base", "planned", "city").map((t) => t.name)).toEqual(["agree_schedule"]);
  });

  it("holds the car from submission until the visit ends, never for base-facility sessions", () => {
    expect(holdsCar("group", "screening")).toBe(false);
    expect(holdsCar("group", "awaiting_city")).toBe(true);
    expect(holdsCar("group", "changes_requested")).toBe(true);
    expect(holdsCar("group", "approved")).toBe(true);
    for (const s of ["completed", "declined", "cancelled"] as const) expect(holdsCar("group", s)).toBe(false);
    expect(holdsCar("roaming", "planned")).toBe(true);
    expect(holdsCar("roaming", "agreed")).toBe(true);
    expect(holdsCar("roaming", "completed")).toBe(false);
    expect(holdsCar("base", "agreed")).toBe(false);
  });
});

describe("state groupings used for lists, reminders and the public schedule", () => {
  it("lists the states that hold the car, are open, or are confirmed and still to happen", () => {
    expect(statesWhere("holdsCar", "group")).toEqual(["awaiting_city", "changes_requested", "approved"]);
    expect(statesWhere("holdsCar", "session")).toEqual(["planned", "agreed"]);
    expect(statesWhere("open")).toEqual(["requested", "screening", "awaiting_city", "changes_requested", "approved", "planned", "agreed"]);
    expect(statesWhere("publicVisible")).toEqual(["agreed"]);
    // Reminders and the Today view: confirmed and not yet done.
    expect(upcomingStates("group")).toEqual(["approved"]);
    expect(upcomingStates("session")).toEqual(["agreed"]);
    expect(upcomingStates()).toEqual(["approved", "agreed"]);
  });

  it("calls completed, declined and cancelled final, and nothing else", () => {
    const finals = VISIT_STATUSES.filter((s) => isFinal(s));
    expect(finals.sort()).toEqual(["cancelled", "completed", "declined"]);
  });

  it("shows only agreed roaming and base sessions to residents, never a group visit", () => {
    expect(isPublic("roaming", "agreed")).toBe(true);
    expect(isPublic("base", "agreed")).toBe(true);
    expect(isPublic("roaming", "planned")).toBe(false);
    expect(isPublic("base", "completed")).toBe(false);
    for (const s of VISIT_STATUSES) expect(isPublic("group", s), s).toBe(false);
  });

  it("says who the next step waits on", () => {
    const expected: Record<VisitStatus, string | null> = {
      requested: "staff",
      changes_requested: "staff",
      screening: "organisation",
      awaiting_city: "city",
      planned: "city",
      approved: null,
      agreed: null,
      completed: null,
      declined: null,
      cancelled: null,
    };
    for (const s of VISIT_STATUSES) expect(waitingOn(s), s).toBe(expected[s]);
  });

  it("starts a group visit as requested and a session as planned", () => {
    expect(initialState("group")).toBe("requested");
    expect(initialState("roaming")).toBe("planned");
    expect(initialState("base")).toBe("planned");
  });

  it("lists the states a transition starts from, for one track only", () => {
    expect(transitionFrom("cancel", "group")).toEqual(["requested", "screening", "awaiting_city", "changes_requested", "approved"]);
    expect(transitionFrom("cancel", "session")).toEqual(["planned", "agreed"]);
    expect(transitionFrom("complete", "session")).toEqual(["agreed"]);
    expect(transitionFrom("approve", "session")).toEqual([]);
  });

  it("keeps the comment as the visit's reason for change requests, declines and cancellations only", () => {
    for (const name of ["request_changes", "decline", "cancel", "organisation_cancel"] as const) expect(keepsReason(name), name).toBe(true);
    for (const name of ["start_screening", "submit_for_approval", "approve", "complete", "agree_schedule", "replan", "reschedule_approved"] as const) {
      expect(keepsReason(name), name).toBe(false);
    }
  });
});

describe("placing a visit brings its transition with it", () => {
  it("starts screening a new request, sends a confirmed visit back to the city only when the change needs it", () => {
    expect(placementTransition("group", "requested", false)).toBe("start_screening");
    expect(placementTransition("group", "requested", true)).toBe("start_screening");
    expect(placementTransition("group", "screening", true)).toBeNull();
    expect(placementTransition("group", "approved", true)).toBe("reschedule_approved");
    expect(placementTransition("group", "approved", false)).toBeNull();
    expect(placementTransition("roaming", "agreed", true)).toBe("replan");
    expect(placementTransition("base", "agreed", false)).toBeNull();
    // A planned session is not "requested": placing it starts nothing.
    expect(placementTransition("roaming", "planned", true)).toBeNull();
  });

  it("never mixes the tracks: a state of the other track brings no transition and offers no button", () => {
    expect(placementTransition("roaming", "approved", true)).toBeNull();
    expect(placementTransition("group", "agreed", true)).toBeNull();
    expect(allowedTransitions("group", "planned", "manager")).toEqual([]);
    expect(allowedTransitions("roaming", "approved", "manager")).toEqual([]);
  });
});

describe("who may act, and what the forms ask for", () => {
  it("lets only the organisation take its own cancel, and never lets it act as staff", () => {
    expect(actorMay("organisation", "organisation")).toBe(true);
    for (const role of ["admin", "manager", "outreach", "city"] as const) expect(actorMay(role, "organisation"), role).toBe(false);
    expect(actorMay("organisation", "visits.manage")).toBe(false);
    expect(actorMay("manager", "visits.manage")).toBe(true);
    expect(actorMay("city", "visits.manage")).toBe(false);
    expect(actorMay("city", "visits.approve")).toBe(true);
  });

  it("says who may take a transition when someone else tries", () => {
    expect(checkTransition({ kind: "group", from: "approved", transition: "organisation_cancel", actor: "admin" })).toEqual({
      ok: false,
      message: "「申込を取り消す」は申込団体のみが行えます。",
    });
    expect(checkTransition({ kind: "group", from: "requested", transition: "start_screening", actor: "city" })).toEqual({
      ok: false,
      message: "「調整を始める」は受託者の担当者のみが行えます。",
    });
  });

  it("names the kind when a transition belongs to the other track", () => {
    expect(checkTransition({ kind: "roaming", from: "planned", transition: "approve", actor: "city" })).toEqual({
      ok: false,
      message: "この操作は巡回・拠点施設の予定には使えません。画面を再読み込みして、表示されている操作から選んでください。",
    });
    expect(checkTransition({ kind: "group", from: "requested", transition: "agree_schedule", actor: "city" })).toEqual({
      ok: false,
      message: "この操作は団体訪問には使えません。画面を再読み込みして、表示されている操作から選んでください。",
    });
  });

  it("asks for the comment field exactly on the transitions that need a reason", () => {
    const comment = (kind: VisitKind, status: VisitStatus, actor: Actor) =>
      Object.fromEntries(allowedTransitions(kind, status, actor).map((t) => [t.name, requiresComment(t)]));
    expect(comment("group", "awaiting_city", "city")).toEqual({ approve: false, request_changes: true, decline: true });
    expect(comment("group", "approved", "manager")).toEqual({ cancel: true, complete: false });
    expect(comment("group", "approved", "organisation")).toEqual({ organisation_cancel: false });
  });
});

describe("submitting for approval needs a complete plan", () => {
  const complete = { date: "2026-06-10", startsAt: "2026-06-10T10:00", endsAt: "2026-06-10T12:00", venue: "市民センター", expectedApplicants: 20 };
  const submit = (facts: typeof complete | { [K in keyof typeof complete]: (typeof complete)[K] | null }) =>
    checkTransition({ kind: "group", from: "screening", transition: "submit_for_approval", actor: "manager", facts: facts as never });

  it("accepts a complete plan", () => {
    expect(submit(complete)).toMatchObject({ ok: true, to: "awaiting_city" });
  });

  it("names the first missing field and says what to enter", () => {
    expect(submit({ ...complete, date: null })).toEqual({ ok: false, message: "「市に承認を依頼する」の前に訪問日を登録してください。", field: "date" });
    expect(submit({ ...complete, endsAt: null })).toEqual({ ok: false, message: "「市に承認を依頼する」の前に開始・終了時刻を登録してください。", field: "times" });
    expect(submit({ ...complete, startsAt: null })).toEqual({ ok: false, message: "「市に承認を依頼する」の前に開始・終了時刻を登録してください。", field: "times" });
    expect(submit({ ...complete, venue: null })).toEqual({ ok: false, message: "「市に承認を依頼する」の前に会場を登録してください。", field: "venue" });
    expect(submit({ ...complete, venue: "" })).toMatchObject({ ok: false, field: "venue" });
    for (const n of [null, 0, -3]) {
      expect(submit({ ...complete, expectedApplicants: n }), String(n)).toEqual({
        ok: false,
        message: "「市に承認を依頼する」の前に申請予定人数を登録してください。",
        field: "expectedApplicants",
      });
    }
    expect(submit({ ...complete, date: null, venue: null })).toMatchObject({ field: "date" });
  });
});

describe("which changes to a confirmed visit need the city again", () => {
  const approved: ApprovalSnapshot = {
    date: "2026-06-10",
    startsAt: "2026-06-10T10:00",
    endsAt: "2026-06-10T12:00",
    venueId: 3,
    venue: "市民センター",
    expectedApplicants: 20,
    mode: "accept",
  };
  const rules = { headcountReapprovalPercent: 20, maxApplicants: 50 };
  const change = (patch: Partial<ApprovalSnapshot>, base: ApprovalSnapshot = approved) => reapprovalFor(base, { ...base, ...patch }, rules);

  it("needs nothing when nothing the city decided on changed", () => {
    expect(change({})).toEqual({ kind: "none" });
  });

  it("needs a new decision for the date, either time, the venue or the mode", () => {
    expect(change({ date: "2026-06-11" })).toEqual({ kind: "reapprove", reasons: ["訪問日"] });
    expect(change({ startsAt: "2026-06-10T09:30" })).toEqual({ kind: "reapprove", reasons: ["時刻"] });
    expect(change({ endsAt: "2026-06-10T12:30" })).toEqual({ kind: "reapprove", reasons: ["時刻"] });
    expect(change({ venueId: 4 })).toEqual({ kind: "reapprove", reasons: ["会場"] });
    expect(change({ venue: "市民センター別館" })).toEqual({ kind: "reapprove", reasons: ["会場"] });
    expect(change({ venueId: null, venue: "町内会館" })).toEqual({ kind: "reapprove", reasons: ["会場"] });
    expect(change({ mode: "support" })).toEqual({ kind: "reapprove", reasons: ["方式"] });
    expect(change({ date: "2026-06-11", startsAt: "2026-06-11T10:00", endsAt: "2026-06-11T12:00", venueId: 4, mode: "support", expectedApplicants: 40 })).toEqual({
      kind: "reapprove",
      reasons: ["訪問日", "時刻", "会場", "方式", "申請予定人数"],
    });
  });

  it("only notifies for a head-count change within the allowed share (20% here) and the maximum", () => {
    expect(change({ expectedApplicants: 24 })).toEqual({ kind: "notify", reasons: ["申請予定人数"] });
    expect(change({ expectedApplicants: 16 })).toEqual({ kind: "notify", reasons: ["申請予定人数"] });
    expect(change({ expectedApplicants: 25 })).toEqual({ kind: "reapprove", reasons: ["申請予定人数"] });
    expect(change({ expectedApplicants: 15 })).toEqual({ kind: "reapprove", reasons: ["申請予定人数"] });
    // Within the share but above the maximum: the city decides again; up to the maximum itself it does not.
    expect(change({ expectedApplicants: 51 }, { ...approved, expectedApplicants: 48 })).toEqual({ kind: "reapprove", reasons: ["申請予定人数"] });
    expect(change({ expectedApplicants: 50 }, { ...approved, expectedApplicants: 48 })).toEqual({ kind: "notify", reasons: ["申請予定人数"] });
    // A head-count where there was none is a new number for the city.
    expect(change({ expectedApplicants: 10 }, { ...approved, expectedApplicants: null })).toEqual({ kind: "reapprove", reasons: ["申請予定人数"] });
  });

  it("does not downgrade a needed decision to a notice when the head-count also moved a little", () => {
    expect(change({ date: "2026-06-11", expectedApplicants: 22 })).toEqual({ kind: "reapprove", reasons: ["訪問日"] });
  });
});

describe("the organisation's own cancel", () => {
  it("is allowed until the cut-off day itself, and always while no date is set", () => {
    // Visit on 6/10 with a 7-day cut-off: the last day to cancel is 6/3.
    expect(organisationMayCancel("approved", "2026-06-10", 7, "2026-06-03")).toBe(true);
    expect(organisationMayCancel("approved", "2026-06-10", 7, "2026-06-04")).toBe(false);
    expect(organisationMayCancel("requested", null, 7, "2030-01-01")).toBe(true);
  });

  it("is never offered for a visit that has ended or for a session", () => {
    for (const s of ["completed", "declined", "cancelled", "planned", "agreed"] as const) {
      expect(organisationMayCancel(s, null, 7, "2026-06-01"), s).toBe(false);
    }
  });
});

describe("the lifecycle table printed for the docs", () => {
  it("has one row per transition with its states, who may take it and what it needs", () => {
    const lines = lifecycleTable().split("\n");
    expect(lines.slice(0, 2)).toEqual(["| kind | transition | from | to | who | requires |", "|---|---|---|---|---|---|"]);
    expect(lines).toHaveLength(2 + 13);
    expect(lines).toContain("| 団体訪問 | `request_changes` | `awaiting_city` | `changes_requested` | 市職員のみ | comment |");
    expect(lines).toContain("| 巡回・拠点 | `replan` | `agreed` | `planned` | 受託者の担当者のみ | — |");
    expect(lines).toContain("| 団体訪問 | `organisation_cancel` | `requested`, `screening`, `awaiting_city`, `changes_requested`, `approved` | `cancelled` | 申込団体のみ | — |");
  });
});
