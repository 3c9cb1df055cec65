import { describe, expect, it } from "vitest";
import { VISIT_STATUSES, type VisitKind, type VisitStatus } from "../../db/schema";
import { allowedTransitions, checkTransition, holdsCar, TRANSITION_NAMES, type Actor } from "../../app/visits/lifecycle";

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
