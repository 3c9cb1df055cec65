import { describe, expect, it } from "vitest";
import type { VisitKind, VisitStatus } from "../../db/enums";
import {
  allowedTransitions,
  checkTransition,
  holdsCar,
  isConfirmed,
  isMovable,
  isOpen,
  isPublic,
  placementTransition,
  reapprovalFor,
  statesWhere,
  TRANSITION_NAMES,
  TRANSITIONS,
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
 * visit. Every (kind, state, transition, actor) not listed must be refused.
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
group   | complete            | approved          | ${STAFF}     | completed         | button
group   | reschedule_approved | approved          | ${STAFF}     | awaiting_city     | implicit
session | agree_schedule      | planned           | city         | agreed            | button
session | cancel              | planned           | ${STAFF}     | cancelled         | button
session | cancel              | agreed            | ${STAFF}     | cancelled         | button
session | complete            | agreed            | ${STAFF}     | completed         | button
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
const FULL_FACTS: VisitFacts = { date: "2027-02-10", startsAt: "2027-02-10T10:00", endsAt: "2027-02-10T12:00", venue: "中央町内会館", expectedApplicants: 25 };

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
