import net from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { eq, sql } from "drizzle-orm";
import { simpleParser, type ParsedMail } from "mailparser";
import { SMTPServer } from "smtp-server";
import { getDb, writeTransaction } from "../../app/db.server";
import { processOutbox, retryEmail } from "../../app/email/outbox.server";
import { addDays, isYearEndClosure, todayInTokyo } from "../../app/lib/dates";
import { queueVisitEmail } from "../../app/visits/emails.server";
import { queueDueReminders } from "../../app/visits/reminders.server";
import { cancelRequestByToken, getRequestStatus } from "../../app/requests/status.server";
import { newIdempotencyKey, submitVisitRequest } from "../../app/requests/submit.server";
import { parseSettingsForm, saveSettings, SETTINGS_SCHEMA } from "../../app/settings.server";
import { parseFilters } from "../../app/crm/filters";
import { listOrganisations } from "../../app/crm/organisations.server";
import { action as requestAction } from "../../app/routes/request._index";
import { activities, emailOutbox, organisations, programs, users, visitRequests, visits } from "../../db/schema";
import { loader as statusLoader } from "../../app/routes/request.status.$token";
import { loader as icsLoader } from "../../app/routes/request.status.$token_.ics";
import { useFreshDatabase } from "../support/db";
import { callRoute } from "../support/routes";

let ctx: ReturnType<typeof useFreshDatabase>;
let smtp: SMTPServer;
let smtpPort: number;
const inbox: ParsedMail[] = [];
const today = todayInTokyo();
const year = Number(today.slice(0, 4));

/** A requestable date at least `offset` days ahead (skipping the year-end closure). */
function dateAhead(offset: number) {
  let d = addDays(today, offset);
  while (isYearEndClosure(d)) d = addDays(d, 1);
  return d;
}

function form(patch: Record<string, string> = {}) {
  return {
    organisationName: "株式会社あおば製作所",
    organisationKind: "company",
    postalCode: "０３０－０８０１",
    address: "あおば市新町1-2-3",
    contactName: "山田 花子",
    phone: "017-123-4567",
    email: "hanako@aoba.example.jp",
    expectedApplicants: "２０",
    preferredDate1: dateAhead(20),
    preferredSlot1: "am",
    preferredDate2: dateAhead(27),
    preferredSlot2: "allday",
    venueText: "本社2階 会議室",
    parking: "yes",
    message: "車いすの方が3名います。",
    consent: "on",
    idempotencyKey: newIdempotencyKey(),
    ...patch,
  };
}

async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

beforeAll(async () => {
  ctx = useFreshDatabase();
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    onData(stream, _session, callback) {
      simpleParser(stream)
        .then((mail) => {
          inbox.push(mail);
          callback();
        })
        .catch(callback);
    },
  });
  await new Promise<void>((r) => smtp.listen(0, "127.0.0.1", r));
  smtpPort = (smtp.server.address() as net.AddressInfo).port;
  process.env.SMTP_URL = `smtp://127.0.0.1:${smtpPort}`;
  process.env.APP_URL = "http://demado.test";
  const db = getDb();
  db.insert(programs).values({ name: "テスト業務", fiscalYear: year, startsOn: addDays(today, -30), endsOn: addDays(today, 200), active: true }).run();
  db.insert(users).values({ email: "manager@t.jp", name: "総括 太郎", role: "manager", passwordHash: "x" }).run();
});

afterAll(async () => {
  delete process.env.SMTP_URL;
  await new Promise<void>((r) => smtp.close(() => r()));
  ctx.cleanup();
});

beforeEach(() => {
  inbox.length = 0;
});

function count(table: typeof visitRequests | typeof visits | typeof organisations | typeof emailOutbox) {
  return getDb().select({ n: sql<number>`count(*)` }).from(table).get()!.n;
}

describe("submitting the request form", () => {
  it("stores the request, the organisation, the group visit and the timeline, and emails the receipt with a working status link", async () => {
    const result = await submitVisitRequest(form(), { ip: "10.0.0.1" });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.receiptNo).toBe(`G-${year}-0001`);
    expect(result.statusToken).toMatch(/^[A-Za-z0-9_-]{32}$/);

    const db = getDb();
    const req = db.select().from(visitRequests).where(eq(visitRequests.receiptNo, result.receiptNo)).get()!;
    expect(req.postalCode).toBe("030-0801");
    expect(req.expectedApplicants).toBe(20);
    const visit = db.select().from(visits).where(eq(visits.requestId, req.id)).get()!;
    expect(visit).toMatchObject({ kind: "group", mode: "accept", status: "requested", title: "株式会社あおば製作所 出張申請", expectedApplicants: 20 });
    const org = db.select().from(organisations).where(eq(organisations.id, req.organisationId!)).get()!;
    expect(org.stage).toBe("applied");
    expect(org.phoneKey).toBe("0171234567");
    const kinds = db.select({ kind: activities.kind }).from(activities).where(eq(activities.organisationId, org.id)).all().map((a) => a.kind);
    expect(kinds).toEqual(expect.arrayContaining(["request", "stage_change"]));

    const sent = await processOutbox();
    expect(sent.sent).toBe(1);
    expect(inbox).toHaveLength(1);
    const mail = inbox[0];
    expect(mail.subject).toContain(result.receiptNo);
    expect(mail.subject).toContain("受け付けました");
    expect(mail.to && "text" in mail.to ? mail.to.text : "").toContain("hanako@aoba.example.jp");
    const link = `http://demado.test/request/status/${result.statusToken}`;
    expect(mail.text).toContain(link);
    expect(mail.text).toContain("山田 花子 様");
    expect(mail.html || "").toContain(link);
    // The footer says whom to call: the window's demo number, hours and address (settings).
    expect(mail.text).toContain("出張申請窓口 電話 017-734-0000（平日 8:30〜17:15・土日祝日と年末年始は休み）");
    expect(mail.text).toContain("〒030-0801 青森市新町一丁目3-7 出張申請窓口事務所");
    expect(mail.html || "").toContain('href="tel:0177340000"');
    // A random UUID stored on the outbox row (never the row id, which repeats across databases).
    expect(mail.messageId).toMatch(/^<[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}@demado\.test>$/);
    // The link in the email opens the status page.
    const token = /request\/status\/([A-Za-z0-9_-]+)/.exec(mail.text ?? "")![1];
    expect(getRequestStatus(token)?.receiptNo).toBe(result.receiptNo);
  });

  it("numbers receipts in sequence and recognises the same organisation written differently", async () => {
    const again = await submitVisitRequest(form({ organisationName: "（株）あおば製作所", phone: "0171234567", email: "other@aoba.example.jp" }), { ip: "10.0.0.2" });
    expect(again.ok).toBe(true);
    if (!again.ok) return;
    expect(again.receiptNo).toBe(`G-${year}-0002`);
    const rows = getDb().select().from(visitRequests).orderBy(visitRequests.id).all();
    expect(rows[1].organisationId).toBe(rows[0].organisationId);
    expect(rows[1].possibleDuplicate).toBe(false);
  });

  it("never merges a weak match silently: same name but other phone and email creates a flagged organisation", async () => {
    const r = await submitVisitRequest(form({ phone: "017-999-0000", email: "someone@else.example.jp" }), { ip: "10.0.0.3" });
    expect(r.ok).toBe(true);
    const req = getDb().select().from(visitRequests).orderBy(sql`${visitRequests.id} desc`).get()!;
    expect(req.possibleDuplicate).toBe(true);
    const first = getDb().select().from(visitRequests).orderBy(visitRequests.id).get()!;
    expect(req.organisationId).not.toBe(first.organisationId);
    const org = getDb().select().from(organisations).where(eq(organisations.id, req.organisationId!)).get()!;
    expect(org.possibleDuplicateOfId).toBe(first.organisationId);
  });

  it("stores one request when the same form is sent twice, and shows the same receipt", async () => {
    const f = form({ organisationName: "あおば町内会", organisationKind: "neighbourhood", phone: "017-222-3333", email: "cho@aoba.example.jp" });
    const before = count(visitRequests);
    const [a, b] = await Promise.all([submitVisitRequest(f, { ip: "10.0.0.4" }), submitVisitRequest(f, { ip: "10.0.0.4" })]);
    const c = await submitVisitRequest(f, { ip: "10.0.0.4" });
    expect(count(visitRequests)).toBe(before + 1);
    expect(a.ok && b.ok && c.ok).toBe(true);
    if (a.ok && b.ok && c.ok) {
      expect(b.receiptNo).toBe(a.receiptNo);
      expect(c.statusToken).toBe(a.statusToken);
    }
  });

  it("refuses bad input with messages per field, keeps the values and writes nothing", async () => {
    const before = [count(visitRequests), count(visits), count(organisations), count(emailOutbox)];
    // A known valid number (check digit 2 worked out by hand), written 4-4-4 below.
    const number = "314159265352";
    const r = await submitVisitRequest(form({ phone: "12", preferredDate1: addDays(today, 2), message: `番号 ${number.slice(0, 4)}-${number.slice(4, 8)}-${number.slice(8)}`, consent: "" }), { ip: "10.0.0.5" });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.phone).toMatch(/10桁/);
    expect(r.errors.preferredDate1).toMatch(/日以上先/);
    expect(r.errors.message).toMatch(/個人番号/);
    expect(r.errors.consent).toMatch(/同意/);
    expect(r.values.organisationName).toBe("株式会社あおば製作所");
    expect([count(visitRequests), count(visits), count(organisations), count(emailOutbox)]).toEqual(before);
  });

  it("ignores unknown fields and survives nonsense input without throwing", async () => {
    const r = await submitVisitRequest({ ...form({ organisationName: "未知項目テスト会" }), isAdmin: "1", status: "approved", expectedApplicants: "1e9" }, { ip: "10.0.0.6" });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.expectedApplicants).toMatch(/数字/);
    const ok = await submitVisitRequest({ ...form({ organisationName: "未知項目テスト会" }), isAdmin: "1", status: "approved" }, { ip: "10.0.0.6" });
    expect(ok.ok).toBe(true);
    if (ok.ok) expect(getRequestStatus(ok.statusToken)?.status).toBe("requested");
    const junk = await submitVisitRequest({ organisationName: 42, consent: { x: 1 } } as Record<string, unknown>, { ip: "10.0.0.6" });
    expect(junk.ok).toBe(false);
  });

  it("pretends success to a bot that fills the honeypot, storing nothing", async () => {
    const before = count(visitRequests);
    const r = await submitVisitRequest({ ...form(), website: "http://spam.example" }, { ip: "10.0.0.7" });
    expect(r.ok).toBe(true);
    expect(count(visitRequests)).toBe(before);
    if (r.ok) expect(getRequestStatus(r.statusToken)).toBeNull();
  });

  it("limits submissions per address per hour", async () => {
    writeTransaction((tx) => saveSettings(tx, { requestRateLimitPerHour: 2 }, null));
    const mk = (i: number) => form({ organisationName: `レート制限テスト${i}`, phone: `017-300-000${i}`, email: `rate${i}@t.jp` });
    expect((await submitVisitRequest(mk(1), { ip: "10.9.9.9" })).ok).toBe(true);
    expect((await submitVisitRequest(mk(2), { ip: "10.9.9.9" })).ok).toBe(true);
    const before = count(visitRequests);
    const third = await submitVisitRequest(mk(3), { ip: "10.9.9.9" });
    expect(third.ok).toBe(false);
    if (!third.ok) expect(third.formError).toMatch(/待ってから/);
    expect(count(visitRequests)).toBe(before);
    // Another address is not affected.
    expect((await submitVisitRequest(mk(4), { ip: "10.9.9.8" })).ok).toBe(true);
    writeTransaction((tx) => saveSettings(tx, { requestRateLimitPerHour: 10 }, null));
    await processOutbox();
  });
});

/** POST /request through the route's action, as the browser sends it. */
async function postRequestForm(fields: Record<string, string>, ip: string) {
  const request = new Request("http://demado.test/request", {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", "x-demado-client-ip": ip },
    body: new URLSearchParams(fields).toString(),
  });
  const res = (await requestAction({ request, params: {}, context: {} })) as unknown;
  // Accepted: 303 to the receipt page of that request (/request/done/:token), whose 受付番号 the status record holds.
  if (res instanceof Response) {
    const location = res.headers.get("Location") ?? "";
    const statusToken = /^\/request\/done\/([A-Za-z0-9_-]+)$/.exec(location)?.[1];
    return { status: res.status, location, body: { ok: !!statusToken, statusToken, receiptNo: statusToken ? getRequestStatus(statusToken)?.receiptNo : undefined } as { ok: boolean; receiptNo?: string; statusToken?: string; errors?: Record<string, string> } };
  }
  // data(…, { status }) comes back wrapped.
  const wrapped = res as { type?: string; data?: unknown; init?: { status?: number } };
  const body = (wrapped.type === "DataWithResponseInit" ? wrapped.data : res) as { ok: boolean; receiptNo?: string; statusToken?: string; errors?: Record<string, string> };
  return { status: wrapped.type === "DataWithResponseInit" ? (wrapped.init?.status ?? 200) : 200, location: null, body };
}

/** The staff CRM list's search (what /staff/organisations?q=… shows), as names. */
function crmSearch(q: string) {
  const manager = getDb().select({ id: users.id }).from(users).where(eq(users.email, "manager@t.jp")).get()!;
  return listOrganisations(parseFilters(new URLSearchParams({ q })), manager.id).rows.map((r) => r.name);
}

describe("団体名のよみがな on the public form", () => {
  it("gives a new organisation the reading, so the staff search for みなと finds 港町内会", async () => {
    expect(crmSearch("みなと")).toEqual([]);
    const res = await postRequestForm(
      form({ organisationName: "港町内会", organisationNameKana: "みなとちょうないかい", organisationKind: "neighbourhood", phone: "017-555-0101", email: "minato@example.jp" }),
      "10.1.0.1",
    );
    expect(res.status).toBe(303);
    expect(crmSearch("みなと")).toEqual(["港町内会"]);
    // Katakana finds it too (the CRM folds either kana).
    expect(crmSearch("ミナトチョウ")).toEqual(["港町内会"]);
    const org = getDb().select().from(organisations).where(eq(organisations.name, "港町内会")).get()!;
    expect(org.nameKana).toBe("みなとちょうないかい");
  });

  it("stores half-width and full-width katakana in hiragana, as the staff form does", async () => {
    const r = await submitVisitRequest(
      form({ organisationName: "株式会社北浜運輸", organisationNameKana: "ｷﾀﾊﾏ　ウンユ", phone: "017-555-0202", email: "kitahama@example.jp" }),
      { ip: "10.1.0.2" },
    );
    expect(r.ok).toBe(true);
    expect(getDb().select().from(organisations).where(eq(organisations.name, "株式会社北浜運輸")).get()!.nameKana).toBe("きたはま うんゆ");
    expect(crmSearch("キタハマ")).toEqual(["株式会社北浜運輸"]);
  });

  it("refuses a reading that is not kana, or holds an individual number, saying how to fix it, and stores nothing", async () => {
    const before = [count(visitRequests), count(organisations)];
    const latin = await submitVisitRequest(form({ organisationName: "読み違い会", organisationNameKana: "minato", phone: "017-555-0303", email: "yomi@example.jp" }), { ip: "10.1.0.3" });
    expect(latin.ok).toBe(false);
    if (!latin.ok) {
      expect(latin.errors.organisationNameKana).toBe(
        "団体名のよみがなは、ひらがなかカタカナで入力してください（例: みなとちょうないかい）。わからない場合は空欄のままでかまいません。",
      );
      expect(latin.values.organisationNameKana).toBe("minato");
    }
    const number = await submitVisitRequest(form({ organisationName: "読み違い会", organisationNameKana: "3141 5926 5352", phone: "017-555-0303", email: "yomi@example.jp" }), { ip: "10.1.0.3" });
    expect(number.ok).toBe(false);
    if (!number.ok) expect(number.errors.organisationNameKana).toMatch(/個人番号/);
    const long = await submitVisitRequest(form({ organisationName: "読み違い会", organisationNameKana: "あ".repeat(101), phone: "017-555-0303", email: "yomi@example.jp" }), { ip: "10.1.0.3" });
    expect(long.ok).toBe(false);
    if (!long.ok) expect(long.errors.organisationNameKana).toBe("100文字以内で入力してください。");
    expect([count(visitRequests), count(organisations)]).toEqual(before);
  });

  it("keeps the reading of a matched organisation that has one, and gives one to a matched organisation without", async () => {
    // 港町内会 again (same name, phone and email): the same organisation, whose reading staff may have set.
    const again = await submitVisitRequest(
      form({ organisationName: "港町内会", organisationNameKana: "こうちょうないかい", organisationKind: "neighbourhood", phone: "017-555-0101", email: "minato@example.jp" }),
      { ip: "10.1.0.4" },
    );
    expect(again.ok).toBe(true);
    expect(getDb().select({ nameKana: organisations.nameKana }).from(organisations).where(eq(organisations.name, "港町内会")).all()).toEqual([{ nameKana: "みなとちょうないかい" }]);

    // An organisation sent without a reading first, then with one.
    const f = { organisationName: "白浜老人クラブ", organisationKind: "welfare", phone: "017-555-0404", email: "shirahama@example.jp" };
    expect((await submitVisitRequest(form(f), { ip: "10.1.0.5" })).ok).toBe(true);
    expect(crmSearch("しらはま")).toEqual([]);
    expect((await submitVisitRequest(form({ ...f, organisationNameKana: "しらはまろうじんくらぶ" }), { ip: "10.1.0.5" })).ok).toBe(true);
    expect(getDb().select({ nameKana: organisations.nameKana }).from(organisations).where(eq(organisations.name, "白浜老人クラブ")).all()).toEqual([{ nameKana: "しらはまろうじんくらぶ" }]);
    expect(crmSearch("しらはま")).toEqual(["白浜老人クラブ"]);
  });
});

describe("the window's phone number, hours and address are settings", () => {
  it("takes a number typed in full width as the plain number, and refuses one without its area code, saying how to fix it", () => {
    const good = parseSettingsForm(new URLSearchParams({ windowPhone: "０１７－７３４－１２３４", windowHours: " 平日 9:00〜17:00 ", windowAddress: "あおば市役所 1階" }) as unknown as FormData);
    // The rest of the form is missing, so the whole form fails; the window's fields themselves pass.
    expect(good.ok).toBe(false);
    if (!good.ok) expect(Object.keys(good.errors).filter((k) => k.startsWith("window"))).toEqual([]);
    const bad = parseSettingsForm(new URLSearchParams({ windowPhone: "734-1234", windowHours: "", windowAddress: "" }) as unknown as FormData);
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    expect(bad.errors.windowPhone).toBe("電話番号は 017-734-0000 の形で、市外局番から入力してください。");
    expect(bad.errors.windowHours).toBe("受付時間を入力してください（例: 平日 8:30〜17:15）。");
    expect(bad.errors.windowAddress).toBe("所在地を入力してください。");
  });

  it("keeps the demo defaults as they are when the admin saves the form unchanged", () => {
    const defaults = { windowPhone: "017-734-0000", windowHours: "平日 8:30〜17:15・土日祝日と年末年始は休み", windowAddress: "〒030-0801 青森市新町一丁目3-7 出張申請窓口事務所" };
    const again = parseSettingsForm(new URLSearchParams(defaults) as unknown as FormData);
    expect(again.ok).toBe(false);
    if (again.ok) return;
    expect(Object.keys(again.errors).filter((k) => k.startsWith("window"))).toEqual([]);
    expect(SETTINGS_SCHEMA.parse({})).toMatchObject(defaults);
    for (const [key, value] of Object.entries(defaults)) expect(SETTINGS_SCHEMA.shape[key as keyof typeof defaults].parse(value)).toBe(value);
  });

  it("puts the saved number, hours and address in the organisation's emails", async () => {
    writeTransaction((tx) => saveSettings(tx, { windowPhone: "017-555-0101", windowHours: "平日 9:00〜16:00", windowAddress: "あおば市役所 別館2階" }, null));
    try {
      const result = await submitVisitRequest(form({ email: "window@aoba.example.jp", phone: "017-555-7777", organisationName: "窓口テスト会" }), { ip: "10.9.0.1" });
      expect(result.ok).toBe(true);
      await processOutbox();
      const mail = inbox.find((m) => m.subject?.includes(result.ok ? result.receiptNo : "-"))!;
      expect(mail.text).toContain("出張申請窓口 電話 017-555-0101（平日 9:00〜16:00）\nあおば市役所 別館2階");
      expect(mail.text).not.toContain("017-734-0000");
      expect(mail.html || "").toContain('href="tel:0175550101"');
    } finally {
      writeTransaction((tx) => saveSettings(tx, { windowPhone: "017-734-0000", windowHours: "平日 8:30〜17:15・土日祝日と年末年始は休み", windowAddress: "〒030-0801 青森市新町一丁目3-7 出張申請窓口事務所" }, null));
    }
  });
});

describe("idempotency keys are bound to what was submitted (action level)", () => {
  const key = "Replay-Key-0123456789abcdef";
  const original = form({ organisationName: "再送テスト会", phone: "017-700-0001", email: "replay@t.jp", idempotencyKey: key });

  it("gives another submission's key and an empty form no receipt", async () => {
    const first = await postRequestForm(original, "10.7.0.1");
    expect(first.status).toBe(303);
    expect(first.location).toMatch(/^\/request\/done\/[A-Za-z0-9_-]{32}$/);
    expect(first.body.ok).toBe(true);
    const before = count(visitRequests);
    const empty = await postRequestForm({ idempotencyKey: key }, "10.7.0.2");
    expect(empty.status).toBe(400);
    expect(empty.body.ok).toBe(false);
    expect(empty.body.errors?.organisationName).toMatch(/団体名/);
    const leaked = JSON.stringify(empty.body);
    expect(leaked).not.toContain(first.body.receiptNo!);
    expect(leaked).not.toContain(first.body.statusToken!);
    expect(count(visitRequests)).toBe(before);
  });

  it("treats the same key with other content as a new request with its own receipt", async () => {
    const first = getDb().select().from(visitRequests).where(eq(visitRequests.idempotencyKey, key)).get()!;
    const before = count(visitRequests);
    const other = await postRequestForm(form({ organisationName: "別の団体", phone: "017-700-0002", email: "other@t.jp", idempotencyKey: key }), "10.7.0.3");
    expect(other.body.ok).toBe(true);
    expect(other.body.receiptNo).not.toBe(first.receiptNo);
    expect(other.body.statusToken).not.toBe(first.statusToken);
    expect(count(visitRequests)).toBe(before + 1);
    expect(getDb().select().from(visitRequests).where(eq(visitRequests.receiptNo, other.body.receiptNo!)).get()?.organisationName).toBe("別の団体");
  });

  it("shows the same receipt for a genuine resend, even typed with other widths and spacing", async () => {
    const first = getDb().select().from(visitRequests).where(eq(visitRequests.idempotencyKey, key)).get()!;
    const before = count(visitRequests);
    const again = await postRequestForm(original, "10.7.0.4");
    expect(again.body).toMatchObject({ ok: true, receiptNo: first.receiptNo, statusToken: first.statusToken });
    const respelled = await postRequestForm({ ...original, phone: "０１７－７００－０００１", organisationName: " 再送テスト会 " }, "10.7.0.5");
    expect(respelled.body).toMatchObject({ ok: true, receiptNo: first.receiptNo });
    expect(count(visitRequests)).toBe(before);
  });
});

describe("when the SMTP server is down", () => {
  it("keeps every receipt and delivers them all once it is back", async () => {
    await processOutbox();
    inbox.length = 0;
    process.env.SMTP_URL = `smtp://127.0.0.1:${await closedPort()}`;
    const receipts: string[] = [];
    for (let i = 0; i < 3; i++) {
      const r = await submitVisitRequest(form({ organisationName: `障害時テスト会${i}`, phone: `017-400-000${i}`, email: `down${i}@t.jp` }), { ip: `10.1.0.${i}` });
      expect(r.ok).toBe(true);
      if (r.ok) receipts.push(r.receiptNo);
    }
    const down = await processOutbox();
    expect(down).toMatchObject({ sent: 0, failed: 3, dead: 0 });
    const waiting = getDb().select().from(emailOutbox).where(eq(emailOutbox.state, "retrying")).all();
    expect(waiting).toHaveLength(3);
    for (const w of waiting) {
      expect(w.attempts).toBe(1);
      expect(w.lastError).toBeTruthy();
      expect(w.nextAttemptAt > new Date().toISOString()).toBe(true);
    }
    // Nothing is due yet: the back-off holds.
    expect(await processOutbox()).toMatchObject({ claimed: 0, sent: 0, failed: 0 });

    process.env.SMTP_URL = `smtp://127.0.0.1:${smtpPort}`;
    for (const w of waiting) retryEmail(w.id);
    const up = await processOutbox();
    expect(up).toMatchObject({ sent: 3, failed: 0 });
    expect(inbox.map((m) => m.subject).sort()).toEqual(receipts.map((r) => expect.stringContaining(r)).sort());
    for (const r of receipts) expect(inbox.some((m) => m.subject?.includes(r))).toBe(true);
  });
});

describe("the status page and cancelling", () => {
  it("shows the status without internal ids or staff names, refuses bad tokens", async () => {
    const r = await submitVisitRequest(form({ organisationName: "状況確認テスト会", phone: "017-500-0001", email: "st@t.jp" }), { ip: "10.2.0.1" });
    if (!r.ok) throw new Error("submit failed");
    const s = getRequestStatus(r.statusToken)!;
    expect(s.status).toBe("requested");
    expect(s.canCancel).toBe(true);
    expect(JSON.stringify(s)).not.toMatch(/"(id|organisationId|visitId|ownerId)"/);
    expect(getRequestStatus("short")).toBeNull();
    expect(getRequestStatus("A".repeat(32))).toBeNull();
  });

  it("opens only for the whole token: a prefix, a longer string or another case of it finds nothing", async () => {
    const r = await submitVisitRequest(form({ organisationName: "前方一致テスト会", phone: "017-500-0009", email: "prefix@t.jp" }), { ip: "10.2.0.9" });
    if (!r.ok) throw new Error("submit failed");
    const req = getDb().select().from(visitRequests).where(eq(visitRequests.statusToken, r.statusToken)).get()!;
    const date = dateAhead(30);
    getDb().update(visits).set({ status: "approved", date, startsAt: `${date}T10:00`, endsAt: `${date}T12:00` }).where(eq(visits.requestId, req.id)).run();
    const loadStatus = (token: string) => callRoute(statusLoader as never, { url: `/request/status/${token}`, params: { token } });
    const loadIcs = (token: string) => callRoute(icsLoader as never, { url: `/request/status/${token}.ics`, params: { token } });
    // The real token opens the page and the calendar file …
    expect((await loadStatus(r.statusToken)).status).toBe(200);
    expect((await loadIcs(r.statusToken)).status).toBe(200);
    // … but its first 22 characters (still a well-formed token), the token with a character more, or in another case do not.
    const lookalikes = [r.statusToken.slice(0, 22), r.statusToken.slice(0, -1), `${r.statusToken}A`, r.statusToken.toUpperCase(), r.statusToken.toLowerCase()].filter((t) => t !== r.statusToken);
    expect(lookalikes.length).toBeGreaterThanOrEqual(4);
    for (const t of lookalikes) {
      expect(getRequestStatus(t), t).toBeNull();
      expect((await loadStatus(t)).status, t).toBe(404);
      expect((await loadIcs(t)).status, t).toBe(404);
      expect(cancelRequestByToken(t, { reason: "いたずら" }), t).toBeNull();
    }
    expect(getDb().select().from(visits).where(eq(visits.requestId, req.id)).get()!.status).toBe("approved");
  });

  it("cancels with a reason in one go: visit, request, car hold, CRM, emails to the organisation and the manager", async () => {
    const r = await submitVisitRequest(form({ organisationName: "取消テスト会", phone: "017-500-0002", email: "cancel@t.jp" }), { ip: "10.2.0.2" });
    if (!r.ok) throw new Error("submit failed");
    await processOutbox();
    inbox.length = 0;
    const db = getDb();
    const req = db.select().from(visitRequests).where(eq(visitRequests.statusToken, r.statusToken)).get()!;
    const date = dateAhead(30);
    db.update(visits).set({ status: "awaiting_city", date, startsAt: `${date}T10:00`, endsAt: `${date}T12:00`, holdStartsAt: `${date}T09:00`, holdEndsAt: `${date}T13:00` }).where(eq(visits.requestId, req.id)).run();

    // A reason far too long is refused with a message; nothing is cancelled.
    const tooLong = cancelRequestByToken(r.statusToken, { reason: "あ".repeat(600) });
    expect(tooLong).toMatchObject({ ok: false });
    expect(db.select().from(visits).where(eq(visits.requestId, req.id)).get()!.status).toBe("awaiting_city");

    const done = cancelRequestByToken(r.statusToken, { reason: "行事と重なったため" });
    expect(done).toEqual({ ok: true });
    const visit = db.select().from(visits).where(eq(visits.requestId, req.id)).get()!;
    expect(visit).toMatchObject({ status: "cancelled", statusReason: "行事と重なったため", holdStartsAt: null, holdEndsAt: null });
    const after = db.select().from(visitRequests).where(eq(visitRequests.id, req.id)).get()!;
    expect(after.cancelledAt).toBeTruthy();
    expect(after.cancelReason).toBe("行事と重なったため");
    expect(db.select().from(organisations).where(eq(organisations.id, req.organisationId!)).get()!.stage).toBe("lost");
    expect(getRequestStatus(r.statusToken)).toMatchObject({ status: "cancelled", canCancel: false, statusReason: "行事と重なったため" });

    await processOutbox();
    const toOrg = inbox.find((m) => m.subject?.includes("取り消しました") && m.text?.includes("取消テスト会"));
    expect(toOrg?.text).toContain("行事と重なったため");
    const toStaff = inbox.find((m) => m.to && "text" in m.to && m.to.text.includes("manager@t.jp"));
    expect(toStaff?.subject).toContain("取消");
  });

  it("refuses to cancel after the cut-off", async () => {
    const r = await submitVisitRequest(form({ organisationName: "期限切れテスト会", phone: "017-500-0003", email: "late@t.jp" }), { ip: "10.2.0.3" });
    if (!r.ok) throw new Error("submit failed");
    const req = getDb().select().from(visitRequests).where(eq(visitRequests.statusToken, r.statusToken)).get()!;
    const date = addDays(today, 1);
    getDb().update(visits).set({ status: "approved", date, startsAt: `${date}T10:00`, endsAt: `${date}T12:00` }).where(eq(visits.requestId, req.id)).run();
    const s = getRequestStatus(r.statusToken)!;
    expect(s.canCancel).toBe(false);
    expect(s.confirmed?.hasIcs).toBe(true);
    const res = cancelRequestByToken(r.statusToken, { reason: "都合により" });
    expect(res).toMatchObject({ ok: false });
    if (res && !res.ok) expect(res.formError).toMatch(/期限/);
    expect(getDb().select().from(visits).where(eq(visits.requestId, req.id)).get()!.status).toBe("approved");
  });
});

describe("confirmation and reminder emails", () => {
  it("attaches the visit as .ics to the confirmed email and sends one reminder a few days before", async () => {
    const r = await submitVisitRequest(form({ organisationName: "確定テスト会", phone: "017-600-0001", email: "ok@t.jp" }), { ip: "10.3.0.1" });
    if (!r.ok) throw new Error("submit failed");
    await processOutbox();
    inbox.length = 0;
    const req = getDb().select().from(visitRequests).where(eq(visitRequests.statusToken, r.statusToken)).get()!;
    const visit = getDb().select().from(visits).where(eq(visits.requestId, req.id)).get()!;
    const date = addDays(today, 2);
    getDb().update(visits).set({ status: "approved", date, startsAt: `${date}T13:00`, endsAt: `${date}T15:00` }).where(eq(visits.id, visit.id)).run();
    writeTransaction((tx) => queueVisitEmail(tx, "confirmed", visit.id));
    expect(queueDueReminders()).toBeGreaterThanOrEqual(1);
    expect(queueDueReminders()).toBe(0);
    await processOutbox();
    const confirmed = inbox.find((m) => m.subject?.includes("確定しました"))!;
    expect(confirmed.text).toContain("13:00〜15:00");
    expect(confirmed.text).toContain("本人確認書類");
    expect(confirmed.attachments.map((a) => a.filename)).toContain("visit.ics");
    expect(confirmed.attachments[0].content.toString()).toContain("BEGIN:VEVENT");
    const reminder = inbox.find((m) => m.subject?.includes("近づいています") && m.text?.includes("確定テスト会"));
    expect(reminder).toBeTruthy();
  });
});
