/**
 * The task form on an organisation's page (issue 15 item 4): posting the same
 * form twice (a double click, a resent request) adds one task, through the
 * route's real action on a real SQLite file.
 */
import argon2 from "argon2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { login } from "../../app/auth.server";
import { getDb } from "../../app/db.server";
import * as orgPage from "../../app/routes/staff.organisations.$id";
import { organisations, tasks, users } from "../../db/schema";
import { useFreshDatabase } from "../support/db";
import { callRoute } from "../support/routes";

let ctx: ReturnType<typeof useFreshDatabase>;
let cookie: string;
let orgId: number;
const PASSWORD = "tasks-password-0123";

beforeAll(async () => {
  ctx = useFreshDatabase();
  const db = getDb();
  // Small argon2 costs keep the real sign-in fast.
  const hash = await argon2.hash(PASSWORD, { type: argon2.argon2id, memoryCost: 1024, timeCost: 1, parallelism: 1 });
  db.insert(users).values({ email: "o@t.jp", name: "外勤 花子", role: "outreach", passwordHash: hash }).run();
  orgId = db.insert(organisations).values({ name: "あおば町内会", searchKey: "あおば町内会", kind: "neighbourhood" }).returning().get().id;
  const signedIn = await login({ email: "o@t.jp", password: PASSWORD });
  if (!signedIn.ok) throw new Error(signedIn.message);
  cookie = signedIn.setCookie.split(";")[0];
});
afterAll(() => ctx.cleanup());

const titlesOf = (id: number) =>
  getDb()
    .select({ title: tasks.title })
    .from(tasks)
    .where(eq(tasks.organisationId, id))
    .all()
    .map((t) => t.title);

async function formKeyFromPage(): Promise<string> {
  const page = await callRoute(orgPage.loader as never, { url: `/staff/organisations/${orgId}`, cookie, params: { id: String(orgId) } });
  expect(page.status).toBe(200);
  return (page.body as { taskFormKey: string }).taskFormKey;
}

const post = (form: Record<string, string>) =>
  callRoute(orgPage.action as never, { url: `/staff/organisations/${orgId}`, cookie, params: { id: String(orgId) }, form: { intent: "addTask", dueOn: "", ...form } });

describe("adding a task from an organisation's page", () => {
  it("two identical posts of one form (a double submit) add one task, and both answer as added", async () => {
    const formKey = await formKeyFromPage();
    const [first, second] = await Promise.all([post({ formKey, title: "会長に電話する" }), post({ formKey, title: "会長に電話する" })]);
    expect([first.status, second.status]).toEqual([200, 200]);
    expect((first.body as { ok: string }).ok).toBe("タスクを追加しました。");
    expect((second.body as { ok: string }).ok).toBe("タスクを追加しました。");
    expect(titlesOf(orgId)).toEqual(["会長に電話する"]);
  });

  it("the reloaded page gives the form a new key, so the next task (even with the same text) is added", async () => {
    const formKey = await formKeyFromPage();
    await post({ formKey, title: "資料を送る" });
    const next = await formKeyFromPage();
    expect(next).not.toBe(formKey);
    await post({ formKey: next, title: "資料を送る" });
    expect(titlesOf(orgId).filter((t) => t === "資料を送る")).toHaveLength(2);
  });
});
