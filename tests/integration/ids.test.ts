/**
 * Ids from URLs and forms are parsed strictly, and an id with no record is a
 * 404 that changes nothing (never a foreign-key 500, never another record).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq, sql } from "drizzle-orm";
import type { SQLiteTable } from "drizzle-orm/sqlite-core";
import { login } from "../../app/auth.server";
import { getDb, writeTransaction } from "../../app/db.server";
import { enqueueEmail } from "../../app/email/outbox.server";
import { parseId } from "../../app/lib/ids";
import { action as adminAction } from "../../app/routes/admin._index";
import { action as outboxAction } from "../../app/routes/admin.outbox";
import { loader as emlLoader } from "../../app/routes/admin.outbox_.$id.eml";
import { action as moveAction } from "../../app/routes/calendar.move";
import { action as cityVisitAction, loader as cityVisitLoader } from "../../app/routes/city.visits.$id";
import { action as todayAction } from "../../app/routes/staff._index";
import { action as orgAction, loader as orgLoader } from "../../app/routes/staff.organisations.$id";
import { action as mergeAction, loader as mergeLoader } from "../../app/routes/staff.organisations.$id_.merge";
import { action as listAction } from "../../app/routes/staff.organisations._index";
import { action as pipelineAction } from "../../app/routes/staff.pipeline";
import { action as venueAction, loader as venueLoader } from "../../app/routes/staff.venues.$id";
import { action as visitAction, loader as visitLoader } from "../../app/routes/staff.visits.$id";
import { loadDemoData, DEMO_PASSWORD } from "../../db/demo/seed";
import { activities, auditLog, contacts, organisationContacts, organisations, savedFilters, sessions, tasks, users, venues, visits } from "../../db/schema";
import { callRoute } from "../support/routes";
import { useFreshDatabase } from "../support/db";

let ctx: ReturnType<typeof useFreshDatabase>;
let manager: string;
let admin: string;
let city: string;
let managerId: number;

async function cookieFor(email: string) {
  const r = await login({ email, password: DEMO_PASSWORD });
  if (!r.ok) throw new Error(r.message);
  return r.setCookie.split(";")[0];
}

const count = (table: SQLiteTable) => getDb().select({ n: sql<number>`count(*)` }).from(table).get()!.n;

/** A fingerprint of every table an id-taking action could write to. */
function snapshot() {
  const db = getDb();
  return {
    activities: count(activities),
    tasks: db.select({ id: tasks.id, doneAt: tasks.doneAt }).from(tasks).all(),
    contacts: count(contacts),
    links: count(organisationContacts),
    organisations: db.select({ id: organisations.id, stage: organisations.stage, name: organisations.name, mergedIntoId: organisations.mergedIntoId, updatedAt: organisations.updatedAt }).from(organisations).all(),
    venues: db.select({ id: venues.id, name: venues.name, active: venues.active }).from(venues).all(),
    filters: count(savedFilters),
    users: db.select({ id: users.id, active: users.active, passwordHash: users.passwordHash }).from(users).all(),
    sessions: db.select({ id: sessions.id, revokedAt: sessions.revokedAt }).from(sessions).all(),
    visits: db.select({ id: visits.id, status: visits.status, version: visits.version, startsAt: visits.startsAt }).from(visits).all(),
  };
}

beforeAll(async () => {
  ctx = useFreshDatabase();
  await loadDemoData(getDb());
  manager = await cookieFor("manager@demo.example");
  admin = await cookieFor("admin@demo.example");
  city = await cookieFor("city@demo.example");
  managerId = getDb().select({ id: users.id }).from(users).where(eq(users.email, "manager@demo.example")).get()!.id;
}, 120_000);
afterAll(() => ctx.cleanup());

describe("parseId", () => {
  it("accepts only plain positive decimal integers", () => {
    expect(parseId("1")).toBe(1);
    expect(parseId("16")).toBe(16);
    expect(parseId("9007199254740991")).toBe(9007199254740991);
    for (const bad of ["0x10", "1e1", " 16", "16 ", "16abc", "-1", "+1", "0", "016", "1.0", "1_000", "１６", "", "9999999999999999", "Infinity", "NaN"]) {
      expect(parseId(bad), bad).toBeNull();
    }
    expect(parseId(null)).toBeNull();
    expect(parseId(16)).toBeNull();
  });
});

describe("organisation page", () => {
  const LOOSE = ["0x10", "1e1", "%2016", "16abc", "-1", "016", "0"];

  it("answers 404 to every loosely written id instead of opening organisation 16 or 10", async () => {
    const db = getDb();
    expect(db.select().from(organisations).where(eq(organisations.id, 16)).get()).toBeTruthy();
    expect(db.select().from(organisations).where(eq(organisations.id, 10)).get()).toBeTruthy();
    for (const raw of LOOSE) {
      const id = decodeURIComponent(raw);
      const r = await callRoute(orgLoader as never, { url: `/staff/organisations/${raw}`, cookie: manager, params: { id } });
      expect(r.status, raw).toBe(404);
    }
    const ok = await callRoute(orgLoader as never, { url: "/staff/organisations/16", cookie: manager, params: { id: "16" } });
    expect(ok.status).toBe(200);
  });

  it("answers 404 to every intent on a missing organisation and changes nothing", async () => {
    const taskId = getDb().select({ id: tasks.id }).from(tasks).where(sql`done_at is null`).get()!.id;
    const contactId = getDb().select({ id: contacts.id }).from(contacts).get()!.id;
    const intents: Record<string, string>[] = [
      { intent: "log", kind: "call", summary: "電話した" },
      { intent: "update", name: "存在しない団体", kind: "company" },
      { intent: "nextAction", nextActionOn: "2030-01-01", nextActionNote: "" },
      { intent: "addTask", title: "確認", dueOn: "" },
      { intent: "finishTask", taskId: String(taskId) },
      { intent: "addContact", name: "山田 太郎" },
      { intent: "linkContact", contactId: String(contactId), role: "" },
      { intent: "unlinkContact", contactId: String(contactId) },
      { intent: "moveStage", to: "contacted", reason: "" },
    ];
    for (const id of ["999999", "0x10"]) {
      for (const form of intents) {
        const before = snapshot();
        const r = await callRoute(orgAction as never, { url: `/staff/organisations/${id}`, cookie: manager, params: { id }, form });
        expect(r.status, `${id} ${form.intent}`).toBe(404);
        expect(snapshot(), `${id} ${form.intent}`).toEqual(before);
      }
    }
  });

  it("finishes only the organisation's own tasks: another organisation's task is a 404", async () => {
    const db = getDb();
    const task = db.select().from(tasks).where(and(sql`done_at is null`, sql`organisation_id is not null`)).get()!;
    const other = db.select({ id: organisations.id }).from(organisations).where(sql`id <> ${task.organisationId} and merged_into_id is null`).get()!;
    const before = snapshot();
    const r = await callRoute(orgAction as never, {
      url: `/staff/organisations/${other.id}`,
      cookie: manager,
      params: { id: String(other.id) },
      form: { intent: "finishTask", taskId: String(task.id) },
    });
    expect(r.status).toBe(404);
    expect(snapshot()).toEqual(before);
    expect(db.select({ doneAt: tasks.doneAt }).from(tasks).where(eq(tasks.id, task.id)).get()!.doneAt).toBeNull();
    // On its own organisation's page the same task is finished.
    const own = await callRoute(orgAction as never, {
      url: `/staff/organisations/${task.organisationId}`,
      cookie: manager,
      params: { id: String(task.organisationId) },
      form: { intent: "finishTask", taskId: String(task.id) },
    });
    expect(own.status).toBe(200);
    expect(db.select({ doneAt: tasks.doneAt }).from(tasks).where(eq(tasks.id, task.id)).get()!.doneAt).not.toBeNull();
  });

  it("answers 404 to a missing or loosely written task, contact or link id on a real organisation", async () => {
    const db = getDb();
    const org = db.select({ id: organisations.id }).from(organisations).where(sql`merged_into_id is null`).get()!;
    const unlinked = db.select({ id: contacts.id }).from(contacts).where(sql`id not in (select contact_id from organisation_contacts where organisation_id = ${org.id})`).get()!;
    const forms: Record<string, string>[] = [
      { intent: "finishTask", taskId: "999999" },
      { intent: "finishTask", taskId: "0x1" },
      { intent: "linkContact", contactId: "999999", role: "" },
      { intent: "linkContact", contactId: "1e0", role: "" },
      { intent: "unlinkContact", contactId: String(unlinked.id) },
      { intent: "unlinkContact", contactId: "-1" },
    ];
    for (const form of forms) {
      const before = snapshot();
      const r = await callRoute(orgAction as never, { url: `/staff/organisations/${org.id}`, cookie: manager, params: { id: String(org.id) }, form });
      expect(r.status, JSON.stringify(form)).toBe(404);
      expect(snapshot(), JSON.stringify(form)).toEqual(before);
    }
  });

  it("refuses a district, owner or assignee that does not exist with a field error, not a 500", async () => {
    const org = getDb().select().from(organisations).where(sql`merged_into_id is null`).get()!;
    const base = { intent: "update", name: org.name, kind: org.kind };
    const before = snapshot();
    const district = await callRoute(orgAction as never, { url: "/", cookie: manager, params: { id: String(org.id) }, form: { ...base, districtId: "999999" } });
    expect(district.status).toBe(400);
    expect((district.body as { errors: Record<string, string> }).errors.districtId).toBe("地区を一覧から選び直してください。");
    const owner = await callRoute(orgAction as never, { url: "/", cookie: manager, params: { id: String(org.id) }, form: { ...base, ownerId: "0x1" } });
    expect(owner.status).toBe(400);
    expect((owner.body as { errors: Record<string, string> }).errors.ownerId).toBe("担当者を一覧から選び直してください。");
    const task = await callRoute(orgAction as never, { url: "/", cookie: manager, params: { id: String(org.id) }, form: { intent: "addTask", title: "確認", dueOn: "", assigneeId: "999999" } });
    expect(task.status).toBe(400);
    expect(snapshot()).toEqual(before);
  });
});

describe("other routes with ids", () => {
  it("Today view: a missing task is a 404", async () => {
    const before = snapshot();
    for (const taskId of ["999999", "0x1", ""]) {
      const r = await callRoute(todayAction as never, { url: "/staff", cookie: manager, form: { intent: "finishTask", taskId } });
      expect(r.status, taskId).toBe(404);
    }
    expect(snapshot()).toEqual(before);
  });

  it("pipeline: moving a missing organisation is a 404", async () => {
    const before = snapshot();
    for (const organisationId of ["999999", "0x10", "1e1"]) {
      const r = await callRoute(pipelineAction as never, { url: "/staff/pipeline", cookie: manager, form: { organisationId, to: "contacted", reason: "" } });
      expect(r.status, organisationId).toBe(404);
    }
    expect(snapshot()).toEqual(before);
  });

  it("merge: a missing organisation on either side is a 404", async () => {
    const org = getDb().select({ id: organisations.id }).from(organisations).where(sql`merged_into_id is null`).get()!;
    expect((await callRoute(mergeLoader as never, { url: "/x", cookie: manager, params: { id: "999999" } })).status).toBe(404);
    expect((await callRoute(mergeLoader as never, { url: `/x?with=0x10`, cookie: manager, params: { id: String(org.id) } })).status).toBe(404);
    const before = snapshot();
    for (const [id, loserId] of [
      [String(org.id), "999999"],
      ["999999", String(org.id)],
      [String(org.id), "0x10"],
    ]) {
      const r = await callRoute(mergeAction as never, { url: "/x", cookie: manager, params: { id }, form: { loserId, confirm: "yes" } });
      expect(r.status, `${id}<-${loserId}`).toBe(404);
    }
    expect(snapshot()).toEqual(before);
  });

  it("saved filters: deleting another user's or a missing filter is a 404", async () => {
    const db = getDb();
    const other = db.select({ id: users.id }).from(users).where(eq(users.email, "outreach@demo.example")).get()!;
    const theirs = db.insert(savedFilters).values({ userId: other.id, name: "他人の条件", query: "stage=lead" }).returning({ id: savedFilters.id }).get();
    const before = snapshot();
    for (const filterId of [String(theirs.id), "999999", "0x1"]) {
      const r = await callRoute(listAction as never, { url: "/staff/organisations", cookie: manager, form: { intent: "deleteFilter", filterId } });
      expect(r.status, filterId).toBe(404);
    }
    expect(snapshot()).toEqual(before);
    const mine = db.insert(savedFilters).values({ userId: managerId, name: "自分の条件", query: "stage=lead" }).returning({ id: savedFilters.id }).get();
    const r = await callRoute(listAction as never, { url: "/staff/organisations", cookie: manager, form: { intent: "deleteFilter", filterId: String(mine.id) } });
    expect(r.status).toBe(200);
    expect(db.select().from(savedFilters).where(eq(savedFilters.id, mine.id)).get()).toBeUndefined();
  });

  it("venues: a missing or loosely written venue id is a 404 for the page and every action", async () => {
    const venue = getDb().select().from(venues).get()!;
    for (const id of ["999999", "0x1", "1e0", "-1"]) {
      expect((await callRoute(venueLoader as never, { url: "/x", cookie: manager, params: { id } })).status, id).toBe(404);
    }
    const before = snapshot();
    const forms: Record<string, string>[] = [{ intent: "deactivate" }, { intent: "activate" }, { intent: "save", name: "新しい会場", kind: venue.kind, address: "あおば市1-1" }];
    for (const form of forms) {
      const r = await callRoute(venueAction as never, { url: "/x", cookie: manager, params: { id: "999999" }, form });
      expect(r.status, form.intent).toBe(404);
    }
    expect(snapshot()).toEqual(before);
  });

  it("visits: loosely written ids are a 404 (staff, city, calendar move)", async () => {
    const v = getDb().select({ id: visits.id }).from(visits).where(eq(visits.id, 16)).get();
    expect(v).toBeTruthy();
    for (const id of ["0x10", "1e1", "16abc", "-1"]) {
      expect((await callRoute(visitLoader as never, { url: "/x", cookie: manager, params: { id } })).status, id).toBe(404);
      expect((await callRoute(cityVisitLoader as never, { url: "/x", cookie: city, params: { id } })).status, id).toBe(404);
    }
    const before = snapshot();
    expect((await callRoute(visitAction as never, { url: "/x", cookie: manager, params: { id: "0x10" }, form: { intent: "cancel", comment: "x" } })).status).toBe(404);
    const move = await callRoute(moveAction as never, { url: "/calendar/move", cookie: manager, form: { visitId: "0x10", startsAt: "2030-01-07T10:00", endsAt: "2030-01-07T11:00" } });
    expect(move.status).toBe(404);
    expect(snapshot()).toEqual(before);
  });

  it("visits: a well-formed id that names no visit is a 404 on every POST, and nothing changes", async () => {
    const before = snapshot();
    expect((await callRoute(visitAction as never, { url: "/x", cookie: manager, params: { id: "999999" }, form: { intent: "cancel", comment: "x" } })).status).toBe(404);
    expect((await callRoute(visitAction as never, { url: "/x", cookie: manager, params: { id: "999999" }, form: { intent: "schedule", date: "2030-01-07", startTime: "10:00", endTime: "11:00", expectedApplicants: "10", mode: "accept" } })).status).toBe(404);
    expect((await callRoute(cityVisitAction as never, { url: "/x", cookie: city, params: { id: "999999" }, form: { intent: "approve" } })).status).toBe(404);
    const move = await callRoute(moveAction as never, { url: "/calendar/move", cookie: manager, form: { visitId: "999999", startsAt: "2030-01-07T10:00", endsAt: "2030-01-07T11:00" } });
    expect(move.status).toBe(404);
    expect(snapshot()).toEqual(before);
  });

  it("admin: a missing user is a 404 for every user action", async () => {
    const before = snapshot();
    for (const intent of ["reset", "revoke", "deactivate", "activate", "unlock"]) {
      for (const userId of ["999999", "0x1", ""]) {
        const auditBefore = count(auditLog);
        const r = await callRoute(adminAction as never, { url: "/admin", cookie: admin, form: { intent, userId, password: "long-enough-password" } });
        expect(r.status, `${intent} ${userId}`).toBe(404);
        expect(count(auditLog)).toBe(auditBefore);
      }
    }
    expect(snapshot()).toEqual(before);
  });

  it("outbox: a missing email is a 404 (retry and .eml download)", async () => {
    const id = writeTransaction((tx) => enqueueEmail(tx, { to: "a@example.jp", subject: "件名", template: "staff-notice", html: "<p>x</p>", text: "x" }));
    expect(id).toBeGreaterThan(0);
    for (const raw of ["999999", "0x1"]) {
      expect((await callRoute(outboxAction as never, { url: "/admin/outbox", cookie: admin, form: { intent: "retry", id: raw } })).status, raw).toBe(404);
      expect((await callRoute(emlLoader as never, { url: "/x", cookie: admin, params: { id: raw } })).status, raw).toBe(404);
    }
  });
});
