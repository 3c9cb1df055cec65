import crypto from "node:crypto";
import path from "node:path";
import AxeBuilder from "@axe-core/playwright";
import Database from "better-sqlite3";
import { expect, test } from "@playwright/test";
import { DEMO, signIn } from "./support";

/**
 * The admin's view of the outbox: every state named for what really happened,
 * and a banner on every page while an email could not be delivered.
 * Rows are written straight into the served database (tests/e2e/serve.mjs),
 * in states the running worker leaves alone, and removed afterwards.
 */
const dbFile = path.resolve(`.cache/e2e-${process.env.E2E_PORT ?? 3199}/demado.db`);
const inserted: number[] = [];
const future = new Date(Date.now() + 6 * 60 * 60_000).toISOString();

function insert(values: { state: string; subject: string; attempts: number; nextAttemptAt?: string; lastError?: string | null; sentAt?: string | null }) {
  const db = new Database(dbFile);
  db.pragma("busy_timeout = 5000");
  try {
    const r = db
      .prepare(
        `insert into email_outbox (to_address, subject, template, html, text, state, attempts, next_attempt_at, last_error, sent_at, message_id)
         values (?, ?, 'e2e', '<p>本文</p>', '本文', ?, ?, ?, ?, ?, ?)`,
      )
      .run(`e2e-${values.state}@example.jp`, values.subject, values.state, values.attempts, values.nextAttemptAt ?? future, values.lastError ?? null, values.sentAt ?? null, `<${crypto.randomUUID()}@e2e.test>`);
    inserted.push(Number(r.lastInsertRowid));
  } finally {
    db.close();
  }
}

test.beforeAll(() => {
  const now = new Date().toISOString();
  insert({ state: "sent", subject: "E2E 送信済みのメール", attempts: 1, sentAt: now });
  insert({ state: "kept", subject: "E2E 保存だけのメール", attempts: 1, sentAt: now });
  insert({ state: "retrying", subject: "E2E 再試行待ちのメール", attempts: 2, lastError: "connect ECONNREFUSED 127.0.0.1:25" });
  insert({ state: "dead", subject: "E2E 届かなかったメール", attempts: 8, lastError: "550 5.1.1 mailbox unavailable" });
});

test.afterAll(() => {
  const db = new Database(dbFile);
  db.prepare(`delete from email_outbox where id in (${inserted.map(() => "?").join(",")})`).run(...inserted);
  db.close();
});

test("admins see undelivered emails on every page and each state by its real meaning", async ({ page }) => {
  await signIn(page, DEMO.admin);
  const banner = page.getByRole("status").filter({ hasText: "送信できなかったメールが 1件 あります" });
  await page.goto("/staff/organisations");
  await expect(banner).toBeVisible();
  await page.goto("/admin");
  await expect(banner).toBeVisible();
  await banner.getByRole("link", { name: "メール送信状況で確認する" }).click();
  await expect(page).toHaveURL(/\/admin\/outbox\?state=dead/);

  await page.goto("/admin/outbox");
  const rowOf = (subject: string) => page.getByRole("row").filter({ hasText: subject });
  await expect(rowOf("E2E 送信済みのメール")).toContainText("送信済（SMTP）");
  await expect(rowOf("E2E 保存だけのメール")).toContainText("未送信（SMTP未設定・.emlとして保存）");
  await expect(rowOf("E2E 保存だけのメール")).not.toContainText("送信済");
  await expect(rowOf("E2E 再試行待ちのメール")).toContainText("失敗・再試行待ち");
  await expect(rowOf("E2E 再試行待ちのメール")).toContainText("次回");
  await expect(rowOf("E2E 届かなかったメール")).toContainText("送信失敗（再試行の上限）");
  await expect(rowOf("E2E 届かなかったメール")).toContainText("550 5.1.1 mailbox unavailable");

  const axe = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  expect(axe.violations.map((v) => `${v.id}: ${v.help}`)).toEqual([]);

  // Marking it as seen takes it off the banner, on this page and the others.
  await rowOf("E2E 届かなかったメール").getByRole("button", { name: "確認済みにする" }).click();
  await expect(page.getByText(/メール #\d+ を確認済みにしました。/)).toBeVisible();
  await expect(rowOf("E2E 届かなかったメール")).toContainText("確認済み");
  await page.goto("/staff/organisations");
  await expect(page.getByText("送信できなかったメールが")).toHaveCount(0);
});

test("other roles never see the outbox banner", async ({ page }) => {
  const db = new Database(dbFile);
  db.prepare("update email_outbox set acknowledged_at = null where id = ?").run(inserted[3]);
  db.close();
  await signIn(page, DEMO.manager);
  await page.goto("/staff/organisations");
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await expect(page.getByText("送信できなかったメールが")).toHaveCount(0);
});
