import { simpleParser } from "mailparser";
import { expect, test, type Page } from "@playwright/test";
import { DEMO, receivedEmails, signIn } from "./support";

/**
 * The session page on a phone (issue 12): the manager keeps the staff list,
 * builds a roaming session's roster, ticks the kit and cancels it; the session
 * leaves the public schedule and its .ics, and the city is emailed over real
 * SMTP. Runs on the demo data of the e2e server.
 */

/** "N件の予定があります。" on /schedule (every upcoming public session). */
async function publicCount(page: Page): Promise<number> {
  await page.goto("/schedule");
  const text = (await page.getByText(/件の予定があります。/).textContent()) ?? "";
  return Number(text.match(/(\d+)件/)?.[1]);
}

async function publicIcs(page: Page): Promise<string> {
  const res = await page.request.get("/schedule.ics");
  expect(res.status()).toBe(200);
  return res.text();
}

/** The page of the n-th last agreed (upcoming, public) roaming session: far enough ahead that nobody is on its roster yet (the demo staffs the next ten days). */
async function agreedRoaming(page: Page, n: number): Promise<{ path: string; id: number }> {
  await page.goto("/staff/visits?kind=roaming&status=agreed");
  const hrefs = await page.locator("table a[href^='/staff/visits/']").evaluateAll((links) => links.map((a) => a.getAttribute("href")!));
  const path = hrefs[hrefs.length - 1 - n];
  expect(path, `agreed roaming session #${n}`).toMatch(/^\/staff\/visits\/\d+$/);
  return { path, id: Number(path.split("/").pop()) };
}

test.describe("the session page on a phone (JavaScript on)", () => {
  test.use({ viewport: { width: 390, height: 844 } });

  test("roster, kit and cancel: the cancelled roaming session leaves /schedule and the .ics, and the city is emailed", async ({ page }) => {
    await signIn(page, DEMO.manager);

    // Someone for the roster, on the staff list (従事者名簿).
    await page.goto("/staff/team");
    const add = page.getByRole("region", { name: "名簿に追加" });
    await add.getByLabel("氏名").fill("現地 太郎");
    await add.getByLabel("ふりがな").fill("げんち たろう");
    await add.getByLabel("電話番号（任意）").fill("090-1234-5678");
    await add.getByRole("button", { name: "名簿に追加する" }).click();
    await expect(page.getByText("現地 太郎さんを名簿に追加しました。")).toBeVisible();

    const session = await agreedRoaming(page, 0);
    const before = await publicCount(page);
    expect(await publicIcs(page)).toContain(`UID:session-${session.id}@127.0.0.1`);

    await page.goto(session.path);
    await expect(page.getByRole("heading", { level: 1 })).toContainText("巡回申請サポート");
    const records = page.getByRole("navigation", { name: "当日の記録" });
    await expect(records.getByRole("link", { name: /結果を入力/ })).toHaveAttribute("href", `${session.path}/results`);
    await expect(records.getByRole("link", { name: /現場写真/ })).toHaveAttribute("href", `${session.path}/photos`);
    await expect(records.getByRole("link", { name: /事故・苦情/ })).toHaveAttribute("href", `${session.path}/incidents`);

    await page.getByLabel("追加する人（従事者名簿から）").selectOption({ label: "現地 太郎（受託者）" });
    await page.getByLabel("役割").selectOption({ label: "現地管理者" });
    await page.getByRole("button", { name: "体制に追加する" }).click();
    await expect(page.getByText("現地 太郎さんを現地管理者として追加しました。")).toBeVisible();
    await expect(page.getByRole("region", { name: /当日の体制/ })).toContainText("現地管理者 現地 太郎");

    const terminals = page.getByRole("button", { name: /申請用端末/ });
    await expect(terminals).toHaveAttribute("aria-pressed", "false");
    await terminals.click();
    await expect(page.getByRole("button", { name: /申請用端末/ })).toHaveAttribute("aria-pressed", "true");
    await expect(page.getByRole("heading", { name: "持ち物チェック（1/6）" })).toBeVisible();

    await page.getByText("取り消す…").click();
    await page.getByLabel("理由").fill("暴風警報のため");
    await page.getByRole("button", { name: "取り消す（確定）" }).click();
    await expect(page.getByText("取り消しました。市の担当者に取消のメールを送ります。")).toBeVisible();
    await expect(page.locator(".page-header")).toContainText("取消");
    await expect(page.getByText("理由: 暴風警報のため")).toBeVisible();

    expect(await publicCount(page)).toBe(before - 1);
    expect(await publicIcs(page)).not.toContain(`session-${session.id}@127.0.0.1`);

    let toCity: Awaited<ReturnType<typeof simpleParser>> | undefined;
    await expect
      .poll(
        async () => {
          for (const raw of receivedEmails()) {
            const mail = await simpleParser(raw);
            if (mail.subject?.startsWith("【取消】巡回") && mail.text?.includes("暴風警報のため") && JSON.stringify(mail.to).includes(DEMO.city)) toCity = mail;
          }
          return !!toCity;
        },
        { timeout: 20_000 },
      )
      .toBe(true);
    expect(toCity!.text).toContain("取り消した人: 受託者（");
  });
});

test.describe("the session page without JavaScript", () => {
  test.use({ javaScriptEnabled: false, viewport: { width: 390, height: 844 } });

  test("the kit is ticked and a person put on the roster with plain form posts", async ({ page }) => {
    await signIn(page, DEMO.manager);
    await page.goto("/staff/team");
    const add = page.getByRole("region", { name: "名簿に追加" });
    await add.getByLabel("氏名").fill("応援 花子");
    await add.getByRole("button", { name: "名簿に追加する" }).click();
    await expect(page.getByText("応援 花子さんを名簿に追加しました。")).toBeVisible();

    const session = await agreedRoaming(page, 1);
    await page.goto(session.path);
    await page.getByRole("button", { name: /顔写真撮影用カメラ/ }).click();
    await expect(page.getByText("「顔写真撮影用カメラ」を確認済にしました。")).toBeVisible();
    await expect(page.getByRole("button", { name: /顔写真撮影用カメラ/ })).toHaveAttribute("aria-pressed", "true");

    await page.getByLabel("追加する人（従事者名簿から）").selectOption({ label: "応援 花子（受託者）" });
    await page.getByRole("button", { name: "体制に追加する" }).click();
    await expect(page.getByText("応援 花子さんを従事者として追加しました。")).toBeVisible();
  });
});
