import iconv from "iconv-lite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { getDb } from "../../app/db.server";
import { importDistricts, listDistricts } from "../../app/crm/districts.server";
import { exportOrganisationsCsv } from "../../app/crm/export.server";
import { parseFilters } from "../../app/crm/filters";
import { createImportJob, getImportJob, guessMapping, previewImport, startImport } from "../../app/crm/import.server";
import { createUser } from "../../app/users.server";
import { activities, auditLog, districts, organisations } from "../../db/schema";
import { useFreshDatabase } from "../support/db";

let ctx: ReturnType<typeof useFreshDatabase>;
let userId: number;

beforeAll(async () => {
  ctx = useFreshDatabase();
  const u = await createUser({ email: "mgr@t.jp", name: "統括 太郎", role: "manager", password: "correct-horse-2026" }, null);
  if (!u.ok) throw new Error("user");
  userId = u.id;
  getDb()
    .insert(districts)
    .values([
      { name: "港町地区", population: 19800, cardsIssued: 11500 },
      { name: "中央地区", population: 38200, cardsIssued: 31000 },
    ])
    .run();
  getDb()
    .insert(organisations)
    .values({ name: "株式会社あおば商事", searchKey: "あおば商事", kind: "company", phone: "0172-12-3456", phoneKey: "0172123456" })
    .run();
});
afterAll(() => ctx.cleanup());

const sjis = (text: string) => new Uint8Array(iconv.encode(text.replace(/\n/g, "\r\n"), "Shift_JIS"));

async function runImport(bytes: Uint8Array, name = "団体.csv") {
  const job = createImportJob(bytes, name, userId);
  if (!job.ok) throw new Error(job.message);
  const preview = previewImport(job.jobId, null)!;
  const started = startImport(job.jobId, preview.mapping, userId);
  if (!started.ok) throw new Error(started.message);
  await started.done;
  return { jobId: job.jobId, encoding: job.encoding, preview, job: getImportJob(job.jobId)! };
}

describe("organisation CSV import", () => {
  it("reads a Shift_JIS file as Excel writes it, guesses the columns from Japanese headers, and lists bad rows and duplicates", async () => {
    const csv = [
      "団体名,フリガナ,種類,郵便番号,住所,電話番号,メール,人数,地区",
      "特別養護老人ホーム 港の家,ミナトノイエ,福祉施設,038-0211,あおば市港町1-2-3,0172-33-1111,info@minato.example,80,港町地区",
      "港町五丁目町内会,,町内会,０３８０２２２,あおば市港町5丁目,0172-33-2222,,120,港町",
      "（株）あおば商事,,企業,,,0172123456,,30,中央地区",
      ",,企業,,,,,,",
      "ひまわり保育園,,学校,03802,あおば市港町,0172-33-3333,,40,港町地区",
      "あおば第一病院,,病院,,,0172-33-4444,,abc,中央地区",
      "北野クリニック,,医療機関,,,0172-33-5555,,10,北野地区",
      "特別養護老人ホーム港の家,,福祉施設,,,0172-33-1111,,,港町地区",
    ].join("\n");
    const { encoding, preview, job } = await runImport(sjis(csv));
    expect(encoding).toBe("shift_jis");
    expect(preview.headers[0]).toBe("団体名");
    expect(preview.mapping).toMatchObject({ name: 0, nameKana: 1, kind: 2, postalCode: 3, address: 4, phone: 5, email: 6, headCount: 7, district: 8 });
    expect(preview.willCreate).toBe(2);
    expect(preview.duplicates).toBe(2);
    expect(preview.errorCount).toBe(4);

    expect(job.status).toBe("done");
    expect(job.createdRows).toBe(2);
    expect(job.processedRows).toBe(8);
    const messages = job.errors!.map((e) => `${e.row}:${e.message}`);
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^4:重複のためスキップ: 既存の「株式会社あおば商事」/),
        expect.stringMatching(/^5:団体名が空です/),
        expect.stringMatching(/^6:郵便番号「03802」/),
        expect.stringMatching(/^7:人数「abc」/),
        expect.stringMatching(/^8:地区「北野地区」が登録されていません/),
        expect.stringMatching(/^9:重複のためスキップ: 既存の「特別養護老人ホーム 港の家」/),
      ]),
    );
    const home = getDb().select().from(organisations).where(eq(organisations.name, "特別養護老人ホーム 港の家")).get()!;
    expect(home).toMatchObject({ kind: "welfare", nameKana: "みなとのいえ", postalCode: "038-0211", headCount: 80, phoneKey: "0172331111" });
    const assoc = getDb().select().from(organisations).where(eq(organisations.name, "港町五丁目町内会")).get()!;
    expect(assoc.postalCode).toBe("038-0222");
    expect(assoc.districtId).toBe(home.districtId);
    const timeline = getDb().select().from(activities).where(eq(activities.organisationId, home.id)).all();
    expect(timeline[0]).toMatchObject({ kind: "import", userId });
  });

  it("reads UTF-8 with a BOM, and lets staff pick the columns when the headers are unusual", async () => {
    const text = "\uFEFFなまえ,でんわ\nあおば自治会,0172-40-1234\n";
    const job = createImportJob(new TextEncoder().encode(text), "utf8.csv", userId);
    expect(job.ok && job.encoding).toBe("utf-8");
    if (!job.ok) return;
    const guessed = previewImport(job.jobId, null)!;
    expect(guessed.mapping.name).toBe(-1);
    const mapped = previewImport(job.jobId, new URLSearchParams("map.name=0&map.phone=1"))!;
    expect(mapped.willCreate).toBe(1);
    const started = startImport(job.jobId, mapped.mapping, userId);
    expect(started.ok).toBe(true);
    if (started.ok) await started.done;
    expect(getDb().select().from(organisations).where(eq(organisations.name, "あおば自治会")).get()?.kind).toBe("other");
  });

  it("imports 5,000 rows in chunks with progress, skipping the duplicates inside the file", async () => {
    const lines = ["団体名,種類,電話番号,人数"];
    for (let i = 0; i < 5000; i++) lines.push(`株式会社テスト${i},企業,0172-${String(50 + (i % 40)).padStart(2, "0")}-${String(i).padStart(4, "0")},${i % 300}`);
    lines.push("株式会社テスト7,企業,0172-57-0007,5");
    const before = Date.now();
    const job = createImportJob(sjis(lines.join("\n")), "big.csv", userId);
    if (!job.ok) throw new Error(job.message);
    const preview = previewImport(job.jobId, null)!;
    const started = startImport(job.jobId, preview.mapping, userId);
    if (!started.ok) throw new Error(started.message);
    // Progress is visible while it runs.
    await new Promise((r) => setImmediate(r));
    const mid = getImportJob(job.jobId)!;
    expect(mid.status).toBe("running");
    expect(mid.processedRows).toBeGreaterThan(0);
    expect(mid.processedRows).toBeLessThan(5001);
    await started.done;
    const done = getImportJob(job.jobId)!;
    expect(done).toMatchObject({ status: "done", totalRows: 5001, processedRows: 5001, createdRows: 5000 });
    expect(done.errors).toHaveLength(1);
    expect(done.errors![0].row).toBe(5002);
    expect(Date.now() - before).toBeLessThan(20_000);
  }, 30_000);

  it("refuses a file with no data rows, with a message saying why", () => {
    const r = createImportJob(sjis("団体名,電話番号\n"), "empty.csv", userId);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toContain("データの行がありません");
  });

  it("guesses mappings from common Japanese headers", () => {
    expect(guessMapping(["No", "施設名", "種別", "〒", "所在地", "TEL", "E-mail", "利用者数", "地域"])).toMatchObject({
      name: 1,
      kind: 2,
      postalCode: 3,
      address: 4,
      phone: 5,
      email: 6,
      headCount: 7,
      district: 8,
    });
  });
});

describe("district CSV import", () => {
  it("updates by name from a Shift_JIS file, all or nothing", () => {
    const bad = importDistricts(sjis("地区,人口,交付枚数\n港町地区,20000,12000\n東浜地区,1000,2000\n"), userId);
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.errors[0]).toMatchObject({ row: 3 });
    expect(listDistricts().find((d) => d.name === "港町地区")?.population).toBe(19800);

    const good = importDistricts(sjis("地区,よみ,人口,交付枚数\n港町地区,ミナトマチ,\"20,000\",12000\n東浜地区,,11900,6500\n"), userId);
    expect(good).toEqual({ ok: true, created: 1, updated: 1 });
    const rows = listDistricts();
    expect(rows.find((d) => d.name === "港町地区")).toMatchObject({ population: 20000, cardsIssued: 12000, nameKana: "みなとまち", rate: 0.6 });
  });
});

describe("CSV export", () => {
  it("writes a UTF-8 BOM and Japanese headers, neutralises formulas, and records who exported", () => {
    getDb().insert(organisations).values({ name: "=HYPERLINK(\"x\")", searchKey: "=hyperlink", kind: "other" }).run();
    const { csv, count } = exportOrganisationsCsv(parseFilters(new URLSearchParams()), { id: userId }, "127.0.0.1");
    expect(csv.startsWith("\uFEFFID,団体名,よみがな,種類")).toBe(true);
    expect(count).toBeGreaterThan(5000);
    expect(csv).toContain("'=HYPERLINK");
    const entry = getDb().select().from(auditLog).where(eq(auditLog.action, "crm.organisations_export")).get();
    expect(entry?.userId).toBe(userId);
  });
});
