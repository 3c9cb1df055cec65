import path from "node:path";
import Database from "better-sqlite3";
import { expect, test, type Page, type Request } from "@playwright/test";
import { DEMO, signIn } from "./support";

// Each test opens dozens of pages in turn: give it the time of many, not of one.
test.describe.configure({ timeout: 180_000 });

/**
 * Every page each role may open, opened in Chromium after the page has
 * hydrated. A page fails on any uncaught script error, any console error, any
 * 4xx/5xx answer (the page itself or anything it loads from the app), or a
 * hydration that never happens. No console message is ignored: a value imported
 * from a `.server` module into a component is undefined in the browser and
 * shows up here as a pageerror or console error (the /admin/settings crash).
 */

type Problems = string[];

/** Collect everything that went wrong on `page` into the returned list. */
function watch(page: Page, baseURL: string | undefined): Problems {
  const appOrigin = new URL(baseURL!).origin;
  const problems: Problems = [];
  page.on("pageerror", (error) => problems.push(`pageerror on ${page.url()}: ${error.message}`));
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(`console error on ${page.url()}: ${message.text()}`);
  });
  page.on("response", (response) => {
    const url = new URL(response.url());
    if (url.origin === appOrigin && response.status() >= 400) {
      problems.push(`${response.status()} for ${url.pathname}${url.search} (on ${page.url()})`);
    }
  });
  return problems;
}

/** React has hydrated the document: the body carries a React fiber (it does not in the server HTML). */
async function waitForHydration(page: Page) {
  await page.waitForFunction(() => Object.keys(document.body).some((k) => k.startsWith("__reactFiber$")), null, { timeout: 15_000 });
  await page.waitForLoadState("networkidle");
}

/** Scripts the page asked the server for (any script), counted from the moment it is opened until `stop()`. */
function watchScripts(page: Page): { scripts: string[]; stop: () => void } {
  const scripts: string[] = [];
  const listener = (request: Request) => {
    if (request.resourceType() === "script") scripts.push(new URL(request.url()).pathname);
  };
  page.on("request", listener);
  return { scripts, stop: () => page.off("request", listener) };
}

/** A page that works as plain HTML: no script element at all, nothing downloaded, never hydrated (docs/decisions/011). */
async function expectNoJavaScript(page: Page, scripts: string[]) {
  await page.waitForLoadState("networkidle");
  expect(await page.locator("script").count(), `script elements on ${page.url()}`).toBe(0);
  expect(scripts, `scripts downloaded by ${page.url()}`).toEqual([]);
  expect(await page.evaluate(() => Object.keys(document.body).some((k) => k.startsWith("__reactFiber$")))).toBe(false);
}

/** Open `path`, expect a 2xx page at that address, hydrated (or, with `plain`, without any JavaScript), with nothing in `problems`. */
async function openPage(page: Page, problems: Problems, pagePath: string, { plain = false } = {}) {
  await test.step(pagePath, async () => {
    const watched = watchScripts(page);
    const response = await page.goto(pagePath);
    expect(response?.status(), `${pagePath} answers`).toBeLessThan(400);
    // No silent redirect to /login or another page: the role may open this one.
    expect(new URL(page.url()).pathname).toBe(pagePath.split("?")[0]);
    if (plain) await expectNoJavaScript(page, watched.scripts);
    else await waitForHydration(page);
    watched.stop();
    await expect(page.getByRole("heading", { level: 1 }).first()).toBeVisible();
    expect(problems).toEqual([]);
  });
}

/** The first link on the current page whose path matches `pattern` (a real id from the demo data). */
async function firstLink(page: Page, pattern: RegExp): Promise<string> {
  const hrefs = await page.locator("a[href]").evaluateAll((links) => links.map((a) => new URL((a as HTMLAnchorElement).href).pathname));
  const found = hrefs.find((h) => pattern.test(h));
  expect(found, `a link matching ${pattern} on ${page.url()}`).toBeTruthy();
  return found!;
}

/**
 * Status links of the demo requests, one per visit status (the status page
 * shows something different for each). The token reaches organisations only by
 * email, so it is read from the test server's database (tests/e2e/serve.mjs).
 */
function statusTokens(): { status: string; token: string }[] {
  const file = path.resolve(`.cache/e2e-${process.env.E2E_PORT ?? 3199}/demado.db`);
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return db
      .prepare(
        `SELECT v.status AS status, MIN(r.status_token) AS token
           FROM visit_requests r JOIN visits v ON v.request_id = r.id
          GROUP BY v.status ORDER BY v.status`,
      )
      .all() as { status: string; token: string }[];
  } finally {
    db.close();
  }
}

/** A completed demo group visit (its results page shows the recorded values and the correction form). */
function completedVisitId(): number {
  const file = path.resolve(`.cache/e2e-${process.env.E2E_PORT ?? 3199}/demado.db`);
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return (db.prepare("SELECT id FROM visits WHERE kind = 'group' AND status = 'completed' ORDER BY id LIMIT 1").get() as { id: number }).id;
  } finally {
    db.close();
  }
}

/** A month with roaming or base sessions waiting for the city's agreement. */
function plannedMonth(): string {
  const file = path.resolve(`.cache/e2e-${process.env.E2E_PORT ?? 3199}/demado.db`);
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return (db.prepare("SELECT substr(date, 1, 7) AS month FROM visits WHERE kind IN ('roaming', 'base') AND status = 'planned' ORDER BY date LIMIT 1").get() as { month: string }).month;
  } finally {
    db.close();
  }
}

/** Public pages that work as plain HTML ship no JavaScript; /request keeps its instant validation. */
const PLAIN_PUBLIC_PAGES = ["/", "/schedule", "/login"];

test("anonymous visitors open every public page and a status page for each visit status", async ({ page, baseURL }) => {
  const problems = watch(page, baseURL);
  for (const p of PLAIN_PUBLIC_PAGES) await openPage(page, problems, p, { plain: true });
  await openPage(page, problems, "/request");
  const tokens = statusTokens();
  // The demo data has open, confirmed and closed requests; each shows a different status page.
  expect(tokens.map((t) => t.status)).toEqual(expect.arrayContaining(["requested", "awaiting_city", "approved", "completed", "cancelled", "declined"]));
  for (const { token } of tokens) await openPage(page, problems, `/request/status/${token}`, { plain: true });
  // The receipt page a submission lands on (POST → 303), for any request: plain HTML on a full load.
  await openPage(page, problems, `/request/done/${tokens[0].token}`, { plain: true });
});

test("error pages are plain HTML too: a 404 ships no JavaScript, for visitors and signed-in staff", async ({ page }) => {
  for (const signedIn of [false, true]) {
    if (signedIn) await signIn(page, DEMO.manager);
    const watched = watchScripts(page);
    const response = await page.goto("/no-such-page");
    expect(response?.status()).toBe(404);
    await expect(page.getByRole("heading", { level: 1, name: "ページが見つかりません" })).toBeVisible();
    await expectNoJavaScript(page, watched.scripts);
    watched.stop();
  }
});

/** Pages every staff role (admin, manager, outreach) opens, with ids found by following list pages. */
async function staffPages(page: Page, problems: Problems, { importAndMerge }: { importAndMerge: boolean }) {
  // importAndMerge: the leads (admin, manager), who also keep the staff list (従事者名簿).
  for (const p of ["/staff", "/staff/pipeline", "/staff/districts", "/calendar", "/calendar/new", "/staff/organisations/new", "/account"]) {
    await openPage(page, problems, p);
  }
  await openPage(page, problems, "/staff/organisations");
  const organisation = await firstLink(page, /^\/staff\/organisations\/\d+$/);
  await openPage(page, problems, organisation);
  await openPage(page, problems, "/staff/visits");
  const visit = await firstLink(page, /^\/staff\/visits\/\d+$/);
  await openPage(page, problems, visit);
  await openPage(page, problems, `${visit}/incidents`);
  await openPage(page, problems, `${visit}/photos`);
  // The results page of that visit (the form, or why results cannot be entered yet).
  await openPage(page, problems, `${visit}/results`);
  const completed = `/staff/visits/${completedVisitId()}/results`;
  for (const p of [completed, `${completed}?edit=1`]) await openPage(page, problems, p);
  // The session page of a roaming and a base-facility session (issue 12).
  for (const kind of ["roaming", "base"]) {
    await openPage(page, problems, `/staff/visits?kind=${kind}&status=all`);
    await openPage(page, problems, await firstLink(page, /^\/staff\/visits\/\d+$/));
    await expect(page.getByRole("heading", { name: /当日の体制/ })).toBeVisible();
  }
  await openPage(page, problems, "/staff/venues");
  await openPage(page, problems, await firstLink(page, /^\/staff\/venues\/\d+$/));
  await openPage(page, problems, "/staff/inquiries");
  await openPage(page, problems, "/staff/pr");
  await openPage(page, problems, await firstLink(page, /^\/staff\/pr\/\d+$/));
  await reportPages(page, problems);
  if (importAndMerge) {
    for (const p of ["/staff/organisations/import", "/staff/districts/import", `${organisation}/merge`, "/staff/team"]) await openPage(page, problems, p);
  }
}

/** The contract's reports and the targets dashboard (every signed-in role), with a daily and a monthly report found on /reports. */
async function reportPages(page: Page, problems: Problems) {
  await openPage(page, problems, "/progress");
  await openPage(page, problems, "/reports");
  const daily = await firstLink(page, /^\/reports\/daily\/\d{4}-\d{2}-\d{2}$/);
  const monthly = await firstLink(page, /^\/reports\/monthly\/\d{4}-\d{2}$/);
  await openPage(page, problems, daily);
  await openPage(page, problems, monthly);
  await openPage(page, problems, "/reports/completion");
}

test("the admin opens every admin and staff page", async ({ page, baseURL }) => {
  const problems = watch(page, baseURL);
  await signIn(page, DEMO.admin);
  for (const p of ["/admin", "/admin/settings", "/admin/outbox", "/admin/audit", "/admin/audit?action=visit.view&entity=visit&from=2026-01-01", "/admin/audit?action=audit.export"]) await openPage(page, problems, p);
  await staffPages(page, problems, { importAndMerge: true });
});

test("the manager opens every staff page, import and merge included", async ({ page, baseURL }) => {
  const problems = watch(page, baseURL);
  await signIn(page, DEMO.manager);
  await staffPages(page, problems, { importAndMerge: true });
});

test("outreach staff open every staff page", async ({ page, baseURL }) => {
  const problems = watch(page, baseURL);
  await signIn(page, DEMO.outreach);
  await staffPages(page, problems, { importAndMerge: false });
});

test("the city official opens the approval queue, a visit, the monthly schedule and the calendar", async ({ page, baseURL }) => {
  const problems = watch(page, baseURL);
  await signIn(page, DEMO.city);
  await openPage(page, problems, "/city");
  await openPage(page, problems, await firstLink(page, /^\/city\/visits\/\d+$/));
  // The decision page with the contact shown (「連絡先を表示」, a POST).
  await page.getByRole("button", { name: "連絡先を表示" }).click();
  await expect(page.getByRole("region", { name: "団体の連絡先" }).getByRole("link")).toBeVisible();
  expect(problems).toEqual([]);
  await openPage(page, problems, "/city/schedule");
  // A month with sessions waiting for the city (the form with its checkboxes).
  await openPage(page, problems, `/city/schedule?month=${plannedMonth()}`);
  await expect(page.getByRole("checkbox").first()).toBeVisible();
  await openPage(page, problems, "/calendar");
  await openPage(page, problems, "/account");
  await reportPages(page, problems);
});

test("the city official opens the incident report (事故報告書) of an incident staff recorded", async ({ page, baseURL }) => {
  const problems = watch(page, baseURL);
  await signIn(page, DEMO.manager);
  await openPage(page, problems, "/staff/visits");
  const incidentsPage = `${await firstLink(page, /^\/staff\/visits\/\d+$/)}/incidents`;
  await openPage(page, problems, incidentsPage);
  await page.getByLabel("何が起きたか").fill("受付台の案内表示が風で飛ばされた。けが人なし。");
  await page.getByRole("button", { name: "記録する" }).click();
  await expect(page.getByText("記録しました。")).toBeVisible();
  const report = await firstLink(page, /^\/incidents\/\d+$/);
  await openPage(page, problems, report);
  await page.context().clearCookies();
  await signIn(page, DEMO.city);
  await openPage(page, problems, report);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("事故報告書");
  await expect(page.getByText("受付台の案内表示が風で飛ばされた。けが人なし。")).toBeVisible();
});

test("the admin changes a numeric rule on /admin/settings in the browser, and it is kept", async ({ page, baseURL }) => {
  const problems = watch(page, baseURL);
  await signIn(page, DEMO.admin);
  await openPage(page, problems, "/admin/settings");
  const field = page.getByLabel("活動のない見込み団体を停滞とみなす日数");
  await expect(field).toHaveValue("30");
  await field.fill("45");
  await page.getByRole("button", { name: "保存する" }).click();
  await expect(page.getByText("設定を保存しました。")).toBeVisible();
  await page.reload();
  await waitForHydration(page);
  await expect(page.getByLabel("活動のない見込み団体を停滞とみなす日数")).toHaveValue("45");
  // The change is in the audit log, newest first.
  await openPage(page, problems, "/admin/audit");
  await expect(page.getByRole("row").nth(1)).toContainText("設定を変更");
  await expect(page.getByRole("row").nth(1)).toContainText("staleLeadDays");
  expect(problems).toEqual([]);
});
