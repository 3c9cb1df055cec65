import fs from "node:fs";
import path from "node:path";
import { expect, type Page } from "@playwright/test";

export const DEMO_PASSWORD = "demo-pass-2026";
export const DEMO = {
  admin: "admin@demo.example",
  manager: "manager@demo.example",
  outreach: "outreach@demo.example",
  city: "city@demo.example",
} as const;

export async function signIn(page: Page, email: string, password = DEMO_PASSWORD) {
  await page.goto("/login");
  await page.getByLabel("メールアドレス").fill(email);
  await page.getByLabel("パスワード").fill(password);
  await page.getByRole("button", { name: "サインイン" }).click();
  await expect(page).not.toHaveURL(/\/login/);
  // Let the landing page hydrate: a click before that is a plain form post, not the fetcher the test means.
  // /login is plain HTML (no JavaScript), so the landing page is always a full page load to wait for.
  await page.waitForLoadState("networkidle");
  // Unless the test turned JavaScript off: then Remix's inline script never ran and nothing hydrates.
  if (await page.evaluate(() => "__remixContext" in window)) {
    await page.waitForFunction(() => Object.keys(document.body).some((k) => k.startsWith("__reactFiber$")), null, { timeout: 15_000 });
  }
}

/** Emails received by the test SMTP server (raw .eml text), oldest first. */
export function receivedEmails(): string[] {
  const inbox = path.resolve(`.cache/e2e-${process.env.E2E_PORT ?? 3199}/inbox`);
  if (!fs.existsSync(inbox)) return [];
  return fs
    .readdirSync(inbox)
    .sort()
    .map((f) => fs.readFileSync(path.join(inbox, f), "utf8"));
}

/** The database the test server serves (tests/e2e/serve.mjs): tests move demo data in time there. */
export const servedDbFile = () => path.resolve(`.cache/e2e-${process.env.E2E_PORT ?? 3199}/demado.db`);

/** The day in Tokyo `offsetDays` from today, as YYYY-MM-DD. */
export const tokyoDay = (offsetDays: number) => new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Tokyo" }).format(new Date(Date.now() + offsetDays * 86_400_000));

/** Move a visit to `date` in the served database, with its times and its car hold (HH:mm), as if its day had come. */
export function moveVisitTo(db: { prepare(sql: string): { run(...params: unknown[]): unknown } }, visitId: number, date: string, t: { from: string; to: string; holdFrom: string; holdTo: string }) {
  db.prepare("update visits set date = ?, starts_at = ?, ends_at = ?, hold_starts_at = ?, hold_ends_at = ? where id = ?").run(
    date,
    `${date}T${t.from}`,
    `${date}T${t.to}`,
    `${date}T${t.holdFrom}`,
    `${date}T${t.holdTo}`,
    visitId,
  );
}
