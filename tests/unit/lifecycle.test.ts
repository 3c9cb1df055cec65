import { describe, expect, it } from "vitest";
import { VISIT_STATUSES, type VisitKind, type VisitStatus } from "../../db/enums";
import {
  actorMay,
  allowedTransitions,
  checkTransition,
  holdsCar,
  initialState,
  isConfirmed,
  isFinal,
  isMovable,
  isOpen,
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
  TRANSITIONS,
  upcomingStates,
  waitingOn,
  type Actor,
  type ApprovalSnapshot,
  type VisitFacts,
} from "../../app/visits/lifecycle";

// ---------------------------------------------------------------------------
// The expected machine, written out by hand. Nothing below takes a state, a
// transition name or an actor from the module: the module is only asked.

/** Every state and every transition name the machine should know, by hand. */
const STATES: VisitStatus[] = ["requested", "screening", "awaiting_city", "changes_requested", "approved", "completed", "declined", "cancelled", "planned", "agreed"];
const NAMES = [
  "start_screening",
  "submit_for_approval",
  "approve",
  "request_changes",
  "decline",
  "cancel",
  "organisation_cancel",
  "complete",
  "reschedule_approved",
  "agree_schedule",
  "replan",
];
const KINDS: VisitKind[] = ["group", "roaming", "base"];
const ACTORS: Actor[] = ["admin", "manager", "outreach", "city", "organisation"];
const TRACK_KINDS: Record<string, VisitKind[]> = { group: ["group"], session: ["roaming", "base"] };

/**
 * `track | transition | from | actors | to | button`. "button": offered on
 * screens (allowedTransitions); "implicit": only a consequence of placing a
 * visit, or (complete) of entering its results. Every (kind, state, transition, actor) not listed must be refused.
 */
const STAFF = "admin,manager,outreach";
const EXPECTED = `
group   | start_screening     | requested         | ${STAFF}     | screening         | button
group   | submit_for_approval | screening         | ${STAFF}     | awaiting_city     | button
group   | submit_for_approval | changes_requested | ${STAFF}     | awaiting_city     | button
group   | approve             | awaiting_city     | city         | approved          | button
group   | request_changes     | awaiting_city     | city         | changes_requested | button
group   | decline             | awaiting_city     | city         | declined          | button
group   | cancel              | requested         | ${STAFF}     | cancelled         | button
group   | cancel              | screening         | ${STAFF}     | cancelled         | button
group   | cancel              | changes_requested | ${STAFF}     | cancelled         | button
group   | cancel              | awaiting_city     | ${STAFF}     | cancelled         | button
group   | cancel              | approved          | ${STAFF}     | cancelled         | button
group   | organisation_cancel | requested         | organisation | cancelled         | button
group   | organisation_cancel | screening         | organisation | cancelled         | button
group   | organisation_cancel | changes_requested | organisation | cancelled         | button
group   | organisation_cancel | awaiting_city     | organisation | cancelled         | button
group   | organisation_cancel | approved          | organisation | cancelled         | button
group   | complete            | approved          | ${STAFF}     | completed         | implicit
group   | reschedule_approved | approved          | ${STAFF}     | awaiting_city     | implicit
session | agree_schedule      | planned           | city         | agreed            | button
session | cancel              | planned           | ${STAFF}     | cancelled         | button
session | cancel              | agreed            | ${STAFF}     | cancelled         | button
session | complete            | agreed            | ${STAFF}     | completed         | implicit
session | replan              | agreed            | ${STAFF}     | planned           | implicit
`;

type Row = { track: string; transition: string; from: VisitStatus; actor: Actor; to: VisitStatus; button: boolean };
const ROWS: Row[] = EXPECTED.trim()
  .split("\n")
  .flatMap((line) => {
    const [track, transition, from, actors, to, button] = line.split("|").map((s) => s.trim());
    return actors.split(",").map((actor) => ({ track, transition, from: from as VisitStatus, actor: actor as Actor, to: to as VisitStatus, button: button === "button" }));
  });

/** Required fields, by hand: which transitions need a comment, which need the visit placed. */
const NEEDS_COMMENT = ["request_changes", "decline", "cancel"];
const NEEDS_PLACEMENT = ["submit_for_approval", "reschedule_approved"];
const NEEDS_RESULTS = ["complete"];
const FULL_FACTS: VisitFacts = { date: "2027-02-10", startsAt: "2027-02-10T10:00", endsAt: "2027-02-10T12:00", venue: "中央町内会館", expectedApplicants: 25, results: true };

const expectedTo = (kind: VisitKind, from: VisitStatus, transition: string, actor: Actor) =>
  ROWS.find((r) => TRACK_KINDS[r.track].includes(kind) && r.from === from && r.transition === transition && r.actor === actor)?.to ?? null;

describe("the machine knows exactly the transitions written here", () => {
  it("has the hand-written set of transition names, no more and no fewer", () => {
    expect([...TRANSITION_NAMES].sort()).toEqual([...NAMES].sort());
    // And every name in the hand-written table is one of them (a typo in the table fails here).
    expect([...new Set(ROWS.map((r) => r.transition))].sort()).toEqual([...NAMES].sort());
  });

  it("has one definition per (track, name) row group in the table: nothing extra per track", () => {
    const byTrack = (track: string) => [...new Set(ROWS.filter((r) => r.track === track).map((r) => r.transition))].sort();
    expect([...new Set(TRANSITIONS.filter((t) => t.track === "group").map((t) => t.name))].sort()).toEqual(byTrack("group"));
    expect([...new Set(TRANSITIONS.filter((t) => t.track === "session").map((t) => t.name))].sort()).toEqual(byTrack("session"));
  });
});

describe("every row of the hand-written table, asked of the module", () => {
  const rowCases = ROWS.flatMap((r) => TRACK_KINDS[r.track].map((kind) => ({ ...r, kind })));

  it.each(rowCases)("$kind $from --$transition--> by $actor gives $to", ({ kind, from, transition, actor, to }) => {
    // A comment and full facts are given here; required fields are tested below.
    const result = checkTransition({ kind, from, transition, actor, comment: "理由", facts: FULL_FACTS });
    expect(result).toMatchObject({ ok: true, to });
  });

  it.each(rowCases)("$kind $from: $transition by $actor is offered as a button only when the table says so", ({ kind, from, transition, actor, button }) => {
    expect(allowedTransitions(kind, from, actor).some((t) => t.name === transition)).toBe(button);
  });
});

describe("everything not in the table is refused, in Japanese", () => {
  // Include a name the machine does not know: it must be refused too.
  const cases = KINDS.flatMap((kind) =>
    STATES.flatMap((from) => [...NAMES, "teleport"].flatMap((transition) => ACTORS.map((actor) => ({ kind, from, transition, actor })))),
  ).filter((c) => expectedTo(c.kind, c.from, c.transition, c.actor) === null);

  it("covers the rest of the cross product", () => {
    const listed = ROWS.reduce((n, r) => n + TRACK_KINDS[r.track].length, 0);
    expect(cases.length + listed).toBe(KINDS.length * STATES.length * (NAMES.length + 1) * ACTORS.length);
  });

  it.each(cases)("$kind $from --$transition--> by $actor is refused", ({ kind, from, transition, actor }) => {
    const result = checkTransition({ kind, from, transition, actor, comment: "理由", facts: FULL_FACTS });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toMatch(/[ぁ-んァ-ヶ一-龠]/);
  });
});

describe("what the screens offer: exactly the table's buttons", () => {
  const cases = KINDS.flatMap((kind) => STATES.flatMap((status) => ACTORS.map((actor) => ({ kind, status, actor }))));
  it.each(cases)("$kind $status for $actor", ({ kind, status, actor }) => {
    const expected = ROWS.filter((r) => r.button && TRACK_KINDS[r.track].includes(kind) && r.from === status && r.actor === actor).map((r) => r.transition);
    expect(allowedTransitions(kind, status, actor).map((t) => t.name).sort()).toEqual(expected.sort());
  });
});

describe("required fields", () => {
  const rowsOnce = ROWS.filter((r, i) => ROWS.findIndex((o) => o.track === r.track && o.transition === r.transition && o.from === r.from) === i);

  it.each(rowsOnce)("$track $transition from $from: a comment is required exactly when the table of comments says so", ({ track, transition, from, actor }) => {
    const kind = TRACK_KINDS[track][0];
    const result = checkTransition({ kind, from, transition, actor, comment: "  ", facts: FULL_FACTS });
    if (NEEDS_COMMENT.includes(transition)) {
      expect(result).toMatchObject({ ok: false, field: "comment" });
      if (!result.ok) expect(result.message).toContain("理由");
    } else {
      expect(result.ok).toBe(true);
    }
  });

  it("lets an organisation cancel without a reason, but not staff", () => {
    expect(checkTransition({ kind: "group", from: "approved", transition: "organisation_cancel", actor: "organisation" }).ok).toBe(true);
    expect(checkTransition({ kind: "group", from: "approved", transition: "cancel", actor: "outreach" }).ok).toBe(false);
    expect(checkTransition({ kind: "roaming", from: "planned", transition: "cancel", actor: "outreach" }).ok).toBe(false);
  });

  const missing: { field: string; facts: Partial<VisitFacts> }[] = [
    { field: "date", facts: { date: null } },
    { field: "times", facts: { startsAt: null } },
    { field: "times", facts: { endsAt: null } },
    { field: "venue", facts: { venue: null } },
    { field: "expectedApplicants", facts: { expectedApplicants: null } },
    { field: "expectedApplicants", facts: { expectedApplicants: 0 } },
  ];
  it.each(ROWS.filter((r) => r.actor === "outreach"))("$track $transition from $from: the day's results are required exactly when the table says so", ({ track, transition, from, actor }) => {
    const kind = TRACK_KINDS[track][0];
    for (const facts of [{ ...FULL_FACTS, results: false }, { ...FULL_FACTS, results: undefined }, undefined]) {
      const result = checkTransition({ kind, from, transition, actor, comment: "理由", facts });
      if (NEEDS_RESULTS.includes(transition)) {
        expect(result).toEqual({ ok: false, field: "results", message: "「実施済にする」には当日の実績の入力が必要です。実績入力の画面で実績を保存すると実施済になります。" });
      } else if (facts) {
        expect(result.ok).toBe(true);
      }
    }
  });

  const placementCases = ROWS.filter((r) => r.actor === "outreach").flatMap((r) => missing.map((m) => ({ ...r, ...m })));
  it.each(placementCases)("$transition from $from without $field ($facts)", ({ track, transition, from, actor, field, facts }) => {
    const kind = TRACK_KINDS[track][0];
    const result = checkTransition({ kind, from, transition, actor, comment: "理由", facts: { ...FULL_FACTS, ...facts } });
    if (NEEDS_PLACEMENT.includes(transition)) expect(result).toMatchObject({ ok: false, field });
    else expect(result.ok).toBe(true);
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
});

// ---------------------------------------------------------------------------
// State groupings, by hand. holdsCar per kind: base sessions never use the car.
// Columns: open | movable | holdsCar group/roaming/base | confirmed | public (sessions) | undecided

const GROUPINGS = `
state             | track   | open | movable | car:group | car:roaming | car:base | confirmed | public | undecided
requested         | group   | yes  | yes     | no        | -           | -        | no        | no     | yes
screening         | group   | yes  | yes     | no        | -           | -        | no        | no     | yes
awaiting_city     | group   | yes  | yes     | yes       | -           | -        | no        | no     | yes
changes_requested | group   | yes  | yes     | yes       | -           | -        | no        | no     | yes
approved          | group   | yes  | yes     | yes       | -           | -        | yes       | no     | no
planned           | session | yes  | yes     | -         | yes         | no       | no        | no     | yes
agreed            | session | yes  | yes     | -         | yes         | no       | yes       | yes    | no
completed         | both    | no   | no      | no        | no          | no       | yes       | no     | no
declined          | group   | no   | no      | no        | -           | -        | no        | no     | no
cancelled         | both    | no   | no      | no        | no          | no       | no        | no     | no
`;
type Grouping = { state: VisitStatus; track: string; open: boolean; movable: boolean; car: Record<VisitKind, boolean | null>; confirmed: boolean; public: boolean; undecided: boolean };
const yes = (s: string) => s === "yes";
const GROUPS: Grouping[] = GROUPINGS.trim()
  .split("\n")
  .slice(1)
  .map((line) => {
    const [state, track, open, movable, cg, cr, cb, confirmed, pub, undecided] = line.split("|").map((s) => s.trim());
    const car = (s: string) => (s === "-" ? null : yes(s));
    return { state: state as VisitStatus, track, open: yes(open), movable: yes(movable), car: { group: car(cg), roaming: car(cr), base: car(cb) }, confirmed: yes(confirmed), public: yes(pub), undecided: yes(undecided) };
  });
const inTrack = (g: Grouping, kind: VisitKind) => g.track === "both" || TRACK_KINDS[g.track].includes(kind);

describe("state groupings match the hand-written table", () => {
  it("lists every state once", () => {
    expect(GROUPS.map((g) => g.state).sort()).toEqual([...STATES].sort());
  });

  it.each(GROUPS)("$state", (g) => {
    expect(isOpen(g.state)).toBe(g.open);
    expect(isConfirmed(g.state)).toBe(g.confirmed);
    for (const kind of KINDS) {
      // Movable only in the kind's own track (a group visit is never "planned").
      expect(isMovable(kind, g.state), `isMovable(${kind})`).toBe(g.movable && inTrack(g, kind));
      if (g.car[kind] !== null) expect(holdsCar(kind, g.state), `holdsCar(${kind})`).toBe(g.car[kind]);
      // Group visits are never public, whatever their state.
      if (inTrack(g, kind)) expect(isPublic(kind, g.state), `isPublic(${kind})`).toBe(kind !== "group" && g.public);
    }
  });

  const where = (pick: (g: Grouping) => boolean, track?: "group" | "session") =>
    GROUPS.filter((g) => pick(g) && (!track || g.track === "both" || g.track === track))
      .map((g) => g.state)
      .sort();
  const PROPERTIES = [
    { property: "open", pick: (g: Grouping) => g.open },
    { property: "movable", pick: (g: Grouping) => g.movable },
    { property: "holdsCar", pick: (g: Grouping) => g.car.group === true || g.car.roaming === true },
    { property: "confirmed", pick: (g: Grouping) => g.confirmed },
    { property: "publicVisible", pick: (g: Grouping) => g.public },
    { property: "undecided", pick: (g: Grouping) => g.undecided },
  ] as const;
  const whereCases = PROPERTIES.flatMap((p) => ([undefined, "group", "session"] as const).map((track) => ({ ...p, track })));
  it.each(whereCases)("statesWhere($property, $track)", ({ property, pick, track }) => {
    expect([...statesWhere(property, track)].sort()).toEqual(where(pick, track));
  });
});

// ---------------------------------------------------------------------------
// Placement and re-approval, by hand.

describe("the transition a placement brings", () => {
  it.each([
    { kind: "group", status: "requested", needsCity: false, expected: "start_screening" },
    { kind: "group", status: "requested", needsCity: true, expected: "start_screening" },
    { kind: "group", status: "screening", needsCity: true, expected: null },
    { kind: "group", status: "awaiting_city", needsCity: true, expected: null },
    { kind: "group", status: "changes_requested", needsCity: true, expected: null },
    { kind: "group", status: "approved", needsCity: false, expected: null },
    { kind: "group", status: "approved", needsCity: true, expected: "reschedule_approved" },
    { kind: "roaming", status: "planned", needsCity: true, expected: null },
    { kind: "roaming", status: "agreed", needsCity: false, expected: null },
    { kind: "roaming", status: "agreed", needsCity: true, expected: "replan" },
    { kind: "base", status: "agreed", needsCity: true, expected: "replan" },
  ] as const)("$kind $status (needs the city: $needsCity) → $expected", ({ kind, status, needsCity, expected }) => {
    expect(placementTransition(kind, status, needsCity)).toBe(expected);
  });
});

describe("which changes to an approved visit need the city again", () => {
  const APPROVED: ApprovalSnapshot = {
    date: "2027-02-10",
    startsAt: "2027-02-10T10:00",
    endsAt: "2027-02-10T12:00",
    venueId: 3,
    venue: "中央町内会館",
    expectedApplicants: 25,
    mode: "accept",
  };
  const RULES = { headcountReapprovalPercent: 50, maxApplicants: 500 };

  it.each([
    { name: "nothing changed", next: {}, expected: { kind: "none" } },
    { name: "date", next: { date: "2027-02-12", startsAt: "2027-02-12T10:00", endsAt: "2027-02-12T12:00" }, expected: { kind: "reapprove", reasons: ["訪問日", "時刻"] } },
    { name: "start time", next: { startsAt: "2027-02-10T10:30" }, expected: { kind: "reapprove", reasons: ["時刻"] } },
    { name: "end time", next: { endsAt: "2027-02-10T12:30" }, expected: { kind: "reapprove", reasons: ["時刻"] } },
    { name: "venue (another venue row)", next: { venueId: 4 }, expected: { kind: "reapprove", reasons: ["会場"] } },
    { name: "venue (same row, other name)", next: { venue: "北町内会館" }, expected: { kind: "reapprove", reasons: ["会場"] } },
    { name: "mode accept → support", next: { mode: "support" }, expected: { kind: "reapprove", reasons: ["方式"] } },
    { name: "head-count 25 → 30 (20%)", next: { expectedApplicants: 30 }, expected: { kind: "notify", reasons: ["申請予定人数"] } },
    { name: "head-count 25 → 20 (20% fewer)", next: { expectedApplicants: 20 }, expected: { kind: "notify", reasons: ["申請予定人数"] } },
    { name: "head-count 25 → 40 (60%)", next: { expectedApplicants: 40 }, expected: { kind: "reapprove", reasons: ["申請予定人数"] } },
    { name: "head-count 25 → 12 (52% fewer)", next: { expectedApplicants: 12 }, expected: { kind: "reapprove", reasons: ["申請予定人数"] } },
    { name: "head-count 25 → 480", next: { expectedApplicants: 480 }, expected: { kind: "reapprove", reasons: ["申請予定人数"] } },
    { name: "head-count and date", next: { date: "2027-02-12", expectedApplicants: 26 }, expected: { kind: "reapprove", reasons: ["訪問日"] } },
  ] as const)("$name", ({ next, expected }) => {
    expect(reapprovalFor(APPROVED, { ...APPROVED, ...next }, RULES)).toEqual(expected);
  });

  it("treats exactly the allowed share as a correction (20 → 30 is 50%)", () => {
    expect(reapprovalFor({ ...APPROVED, expectedApplicants: 20 }, { ...APPROVED, expectedApplicants: 30 }, RULES)).toEqual({ kind: "notify", reasons: ["申請予定人数"] });
    expect(reapprovalFor({ ...APPROVED, expectedApplicants: 20 }, { ...APPROVED, expectedApplicants: 31 }, RULES)).toEqual({ kind: "reapprove", reasons: ["申請予定人数"] });
  });

  it("needs the city when the head-count passes the maximum, even by a small share", () => {
    expect(reapprovalFor({ ...APPROVED, expectedApplicants: 400 }, { ...APPROVED, expectedApplicants: 499 }, RULES)).toEqual({ kind: "notify", reasons: ["申請予定人数"] });
    expect(reapprovalFor({ ...APPROVED, expectedApplicants: 400 }, { ...APPROVED, expectedApplicants: 500 }, RULES)).toEqual({ kind: "notify", reasons: ["申請予定人数"] });
    expect(reapprovalFor({ ...APPROVED, expectedApplicants: 400 }, { ...APPROVED, expectedApplicants: 501 }, RULES)).toEqual({ kind: "reapprove", reasons: ["申請予定人数"] });
  });

  it("follows the share set in settings", () => {
    expect(reapprovalFor(APPROVED, { ...APPROVED, expectedApplicants: 30 }, { ...RULES, headcountReapprovalPercent: 10 })).toEqual({ kind: "reapprove", reasons: ["申請予定人数"] });
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
    // Completing is not offered: it happens by entering the results.
    expect(comment("group", "approved", "manager")).toEqual({ cancel: true });
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
