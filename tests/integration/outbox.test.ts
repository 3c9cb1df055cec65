/**
 * The email outbox against a real SMTP server (smtp-server on 127.0.0.1) and
 * real SQLite files: states, Message-IDs, back-off, dead letters and their
 * alerts, the transaction rule, pooled delivery and stopping the worker.
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { and, eq, sql } from "drizzle-orm";
import { getDb, migrateDatabase, openDatabase, writeTransaction, type Db } from "../../app/db.server";
import {
  acknowledgeDeadEmail,
  ALERT_TEMPLATE,
  countDeadUnacknowledged,
  emlPath,
  enqueueEmail,
  OUTBOX_RULES,
  processOutbox,
  retryDelayMs,
  retryEmail,
  startOutboxWorker,
  stopOutboxWorker,
  type OutgoingEmail,
} from "../../app/email/outbox.server";
import { addDays, todayInTokyo } from "../../app/lib/dates";
import { newIdempotencyKey, submitVisitRequest } from "../../app/requests/submit.server";
import { saveSettings } from "../../app/settings.server";
import { emailOutbox, programs, users, visitRequests, visits } from "../../db/schema";
import { useFreshDatabase } from "../support/db";
import { TestSmtp } from "../support/smtp";

const UUID_MESSAGE_ID = /^<[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}@outbox\.test>$/;

let ctx: ReturnType<typeof useFreshDatabase>;
let smtp: TestSmtp;
/** The outbox's clock: tests move it forward instead of waiting out back-offs. */
let offsetMs = 0;
const clock = () => new Date(Date.now() + offsetMs);

function mail(i: number | string, patch: Partial<OutgoingEmail> = {}): OutgoingEmail {
  return { to: `person${i}@example.jp`, subject: `テスト${i}`, template: "test", html: `<p>本文${i}</p>`, text: `本文${i}`, ...patch };
}

function queue(emails: OutgoingEmail[], db: Db = getDb()): number[] {
  return writeTransaction((tx) => emails.map((e) => enqueueEmail(tx, e)), db);
}

const row = (id: number) => getDb().select().from(emailOutbox).where(eq(emailOutbox.id, id)).get()!;
const alerts = () => getDb().select().from(emailOutbox).where(eq(emailOutbox.template, ALERT_TEMPLATE)).all();

/** Run batches until nothing is due at the outbox's clock. */
async function drain(db: Db = getDb()) {
  for (let i = 0; i < 100; i++) {
    const r = await processOutbox(db, { now: clock });
    if (r.claimed === 0) return;
  }
  throw new Error("outbox did not drain");
}

beforeAll(async () => {
  ctx = useFreshDatabase();
  process.env.APP_URL = "http://outbox.test";
  smtp = await new TestSmtp().start();
});

afterAll(async () => {
  delete process.env.SMTP_URL;
  await stopOutboxWorker();
  await smtp.stop();
  ctx.cleanup();
});

beforeEach(() => {
  process.env.SMTP_URL = smtp.url;
  smtp.received.length = 0;
  smtp.tried.length = 0;
  smtp.rejectNext = 0;
  smtp.delayMs = 0;
  smtp.stallRcptMs = 0;
  offsetMs = 0;
});

afterEach(async () => {
  // Leave no email behind for the next test.
  getDb().delete(emailOutbox).run();
  getDb().delete(users).run();
});

describe("queueing only inside a transaction", () => {
  it("refuses a plain database handle, by type and at run time", () => {
    const before = getDb().select({ n: sql<number>`count(*)` }).from(emailOutbox).get()!.n;
    // @ts-expect-error enqueueEmail takes the transaction of the change, never the database itself
    expect(() => enqueueEmail(getDb(), mail(1))).toThrow(/transaction/);
    expect(getDb().select({ n: sql<number>`count(*)` }).from(emailOutbox).get()!.n).toBe(before);
  });

  it("queues the receipt in the submission's transaction: when that transaction fails, neither the request nor the email exists", async () => {
    const today = todayInTokyo();
    const db = getDb();
    db.insert(programs).values({ name: "送信テスト業務", fiscalYear: Number(today.slice(0, 4)), startsOn: addDays(today, -10), endsOn: addDays(today, 200), active: true }).run();
    writeTransaction((tx) => saveSettings(tx, { requestRateLimitPerHour: 1000 }, null));
    const form = (name: string) => ({
      organisationName: name,
      organisationKind: "company",
      postalCode: "030-0801",
      address: "あおば市新町1-2-3",
      contactName: "山田 花子",
      phone: "017-123-4567",
      email: "hanako@aoba.example.jp",
      expectedApplicants: "20",
      preferredDate1: addDays(today, 40),
      preferredSlot1: "am",
      venueText: "本社2階 会議室",
      parking: "yes",
      message: "特になし",
      consent: "on",
      idempotencyKey: newIdempotencyKey(),
    });
    const counts = () => [visitRequests, visits, emailOutbox].map((t) => db.select({ n: sql<number>`count(*)` }).from(t).get()!.n);
    const before = counts();
    // The receipt is the last write of the submission: make that write fail. Queued inside the
    // transaction, its failure takes the whole request with it; queued after the commit, the request would stay.
    db.$client.exec(`CREATE TRIGGER receipt_fails BEFORE INSERT ON email_outbox WHEN NEW.template = 'receipt' BEGIN SELECT RAISE(ABORT, 'drill: outbox write fails'); END;`);
    try {
      const failed = await submitVisitRequest(form("送信失敗テスト会"), { ip: "10.5.0.1" });
      expect(failed).toMatchObject({ ok: false, formError: expect.stringContaining("受付の処理に失敗しました") });
      expect(counts()).toEqual(before);
    } finally {
      db.$client.exec("DROP TRIGGER receipt_fails");
    }
    const ok = await submitVisitRequest(form("送信成功テスト会"), { ip: "10.5.0.1" });
    expect(ok, JSON.stringify(ok)).toMatchObject({ ok: true });
    expect(counts()).toEqual([before[0] + 1, before[1] + 1, before[2] + 1]);
  });
});

describe("states tell what really happened", () => {
  it("keeps an email as .eml, not 'sent', when SMTP is not configured, and sends it once SMTP is set and an admin asks", async () => {
    delete process.env.SMTP_URL;
    const [id] = queue([mail("eml")]);
    const r = await processOutbox(getDb(), { now: clock });
    expect(r).toMatchObject({ claimed: 1, sent: 0, kept: 1, failed: 0 });
    expect(row(id).state).toBe("kept");
    expect(fs.readFileSync(emlPath(id), "utf8")).toContain(`Message-ID: ${row(id).messageId}`);
    expect(smtp.received).toHaveLength(0);
    // Kept rows are not picked up again by the worker, and cannot be "retried" into SMTP that does not exist.
    expect((await processOutbox(getDb(), { now: clock })).claimed).toBe(0);
    expect(retryEmail(id)).toBe(false);

    process.env.SMTP_URL = smtp.url;
    expect(retryEmail(id)).toBe(true);
    expect(await processOutbox(getDb(), { now: clock })).toMatchObject({ sent: 1, kept: 0 });
    expect(row(id).state).toBe("sent");
    expect(smtp.received.map((m) => m.messageId)).toEqual([row(id).messageId]);
  });

  it("marks a failed try 'retrying' with the time of the next one, and 'sent' when the SMTP server accepted it", async () => {
    const [id] = queue([mail("retry")]);
    smtp.rejectNext = 1;
    const t0 = clock().getTime();
    expect(await processOutbox(getDb(), { now: clock })).toMatchObject({ sent: 0, failed: 1, dead: 0 });
    const waiting = row(id);
    expect(waiting).toMatchObject({ state: "retrying", attempts: 1, lockedUntil: null });
    expect(waiting.lastError).toMatch(/451/);
    const wait = Date.parse(waiting.nextAttemptAt) - t0;
    expect(wait).toBeGreaterThanOrEqual(15_000);
    expect(wait).toBeLessThanOrEqual(30_000 + 1_000);
    offsetMs = 31_000;
    expect(await processOutbox(getDb(), { now: clock })).toMatchObject({ sent: 1 });
    expect(row(id)).toMatchObject({ state: "sent", attempts: 2, lastError: null });
  });
});

describe("Message-IDs", () => {
  it("differ between two fresh databases for their row 1, and are random UUIDs", async () => {
    const dirs = [path.join(ctx.dir, "a"), path.join(ctx.dir, "b")];
    const ids: string[] = [];
    for (const dir of dirs) {
      const db = openDatabase(path.join(dir, "demado.db"));
      try {
        migrateDatabase(db);
        const [id] = queue([mail(`db-${dir}`)], db);
        expect(id).toBe(1);
        await processOutbox(db, { now: clock });
        ids.push(db.select().from(emailOutbox).where(eq(emailOutbox.id, 1)).get()!.messageId!);
      } finally {
        db.$client.close();
      }
    }
    expect(ids[0]).toMatch(UUID_MESSAGE_ID);
    expect(ids[1]).toMatch(UUID_MESSAGE_ID);
    expect(ids[0]).not.toBe(ids[1]);
    expect(smtp.received.map((m) => m.messageId)).toEqual(ids);
  });

  it("stay the same on every retry of the same row", async () => {
    const [id] = queue([mail("same-id")]);
    const stored = row(id).messageId;
    smtp.rejectNext = 2;
    await processOutbox(getDb(), { now: clock });
    offsetMs += 60 * 60_000;
    await processOutbox(getDb(), { now: clock });
    offsetMs += 60 * 60_000;
    await processOutbox(getDb(), { now: clock });
    expect(row(id)).toMatchObject({ state: "sent", attempts: 3, messageId: stored });
    expect(smtp.tried).toEqual([stored, stored, stored]);
    expect(smtp.received.map((m) => m.messageId)).toEqual([stored]);
  });

  it("are fixed once for rows queued before the column existed, then kept", async () => {
    const [id] = queue([mail("legacy")]);
    getDb().update(emailOutbox).set({ messageId: null }).where(eq(emailOutbox.id, id)).run();
    smtp.rejectNext = 1;
    await processOutbox(getDb(), { now: clock });
    const fixed = row(id).messageId;
    expect(fixed).toMatch(UUID_MESSAGE_ID);
    offsetMs += 60 * 60_000;
    await processOutbox(getDb(), { now: clock });
    expect(smtp.tried).toEqual([fixed, fixed]);
  });
});

describe("retry back-off", () => {
  it("doubles from 30 seconds up to the one-hour cap, with jitter only in the upper half", () => {
    const low = (n: number) => retryDelayMs(n, () => 0);
    const high = (n: number) => retryDelayMs(n, () => 1);
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9, 12].map(low)).toEqual([15_000, 30_000, 60_000, 120_000, 240_000, 480_000, 960_000, 1_800_000, 1_800_000, 1_800_000]);
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9, 12].map(high)).toEqual([30_000, 60_000, 120_000, 240_000, 480_000, 960_000, 1_920_000, 3_600_000, 3_600_000, 3_600_000]);
  });

  it("waits longer after every failure of a real delivery until the email is given up", async () => {
    const [id] = queue([mail("backoff")]);
    smtp.rejectNext = 1_000;
    const waits: number[] = [];
    for (let attempt = 1; attempt <= OUTBOX_RULES.maxAttempts; attempt++) {
      const before = row(id);
      offsetMs = Math.max(offsetMs, Date.parse(before.nextAttemptAt) - Date.now());
      const tried = clock().getTime();
      expect(await processOutbox(getDb(), { now: clock })).toMatchObject({ failed: 1 });
      const after = row(id);
      expect(after.attempts).toBe(attempt);
      if (attempt < OUTBOX_RULES.maxAttempts) waits.push(Date.parse(after.nextAttemptAt) - tried);
    }
    expect(row(id).state).toBe("dead");
    // Hand-written bounds per failure: [cap/2, cap] with cap = 30 s × 2^(n-1).
    const bounds = [30, 60, 120, 240, 480, 960, 1920].map((s) => [s * 500, s * 1000]);
    waits.forEach((w, i) => {
      expect(w).toBeGreaterThanOrEqual(bounds[i][0] - 5);
      expect(w).toBeLessThanOrEqual(bounds[i][1] + 1_000);
      if (i > 0) expect(w).toBeGreaterThan(waits[i - 1]);
    });
  });
});

describe("dead letters", () => {
  async function killRow(id: number) {
    smtp.rejectNext = 10_000;
    for (let i = 0; i < OUTBOX_RULES.maxAttempts && row(id).state !== "dead"; i++) {
      offsetMs = Math.max(offsetMs, Date.parse(row(id).nextAttemptAt) - Date.now());
      await processOutbox(getDb(), { now: clock });
    }
    expect(row(id).state).toBe("dead");
  }

  beforeEach(() => {
    getDb()
      .insert(users)
      .values([
        { email: "admin1@city.example", name: "管理 一郎", role: "admin", passwordHash: "x" },
        { email: "admin2@city.example", name: "管理 二郎", role: "admin", passwordHash: "x" },
        { email: "retired-admin@city.example", name: "退職 三郎", role: "admin", passwordHash: "x", active: false },
        { email: "manager@city.example", name: "総括 花子", role: "manager", passwordHash: "x" },
      ])
      .run();
  });

  it("alert every active admin by email once retries are exhausted, and count on the banner until acknowledged", async () => {
    const [id] = queue([mail("doomed", { to: "nobody@invalid.example", subject: "受付のお知らせ" })]);
    expect(countDeadUnacknowledged()).toBe(0);
    await killRow(id);
    expect(countDeadUnacknowledged()).toBe(1);
    const queued = alerts();
    expect(queued.map((a) => a.toAddress).sort()).toEqual(["admin1@city.example", "admin2@city.example"]);
    expect(queued[0].subject).toBe("【要対応】メールを送信できませんでした（未確認 1件）");
    expect(queued[0].text).toContain("nobody@invalid.example 宛てのメール「受付のお知らせ」");
    expect(queued[0].text).toContain("http://outbox.test/admin/outbox?state=dead");

    smtp.rejectNext = 0;
    await drain();
    expect(smtp.received.map((m) => m.to).sort()).toEqual(["admin1@city.example", "admin2@city.example"]);

    expect(acknowledgeDeadEmail(id)).toBe(true);
    expect(countDeadUnacknowledged()).toBe(0);
    expect(acknowledgeDeadEmail(id)).toBe(false);
  });

  it("never alerts about an alert (no loop), and sends one alert, not one per email, while the first is still unsent", async () => {
    const [a, b] = queue([mail("dead-a"), mail("dead-b")]);
    await killRow(a);
    await killRow(b);
    expect(row(b).state).toBe("dead");
    // Both died while SMTP refused everything: one alert per admin, the second death found it still waiting.
    expect(alerts()).toHaveLength(2);
    expect(countDeadUnacknowledged()).toBe(2);
    // Now the alerts themselves die: no alert about them.
    for (const alert of alerts()) await killRow(alert.id);
    expect(alerts().map((x) => x.state)).toEqual(["dead", "dead"]);
    expect(alerts()).toHaveLength(2);
    expect(countDeadUnacknowledged()).toBe(4);
    // A later death, with no alert waiting, alerts again.
    const [c] = queue([mail("dead-c")]);
    await killRow(c);
    expect(alerts()).toHaveLength(4);
  });

  it("tell the admins the last error, the total and where to look, linked to the dead email", async () => {
    const [id] = queue([mail("detail", { to: "gone@invalid.example" })]);
    await killRow(id);
    expect(row(id).lastError).toMatch(/451 try again later$/);
    expect(row(id).lastError).not.toMatch(/^Error:/);
    const [alert] = alerts();
    expect(alert.text).toContain(`最後のエラー: ${row(id).lastError}`);
    expect(alert.text).toContain("送信できなかった未確認のメールは全部で1件です。");
    expect(alert.text).toContain(`（#${id}）を8回送ろうとしましたが`);
    expect(alert.html.startsWith("<!DOCTYPE html>")).toBe(true);
    expect(alert.html).toContain("gone@invalid.example");
    expect(alert).toMatchObject({ relatedEntity: "email_outbox", relatedId: id, template: ALERT_TEMPLATE });
  });

  it("send no new alert while the earlier one is still being sent or waiting to retry, and one once it has gone out", async () => {
    const [a] = queue([mail("wait-a")]);
    await killRow(a);
    expect(alerts()).toHaveLength(2);
    for (const state of ["sending", "retrying"] as const) {
      getDb().update(emailOutbox).set({ state }).where(eq(emailOutbox.template, ALERT_TEMPLATE)).run();
      const [b] = queue([mail(`wait-${state}`)]);
      await killRow(b);
      expect(alerts(), state).toHaveLength(2);
    }
    getDb().update(emailOutbox).set({ state: "sent" }).where(eq(emailOutbox.template, ALERT_TEMPLATE)).run();
    const [c] = queue([mail("after-sent")]);
    await killRow(c);
    expect(alerts()).toHaveLength(4);
  });

  it("can be retried by an admin when dead, retrying or kept as .eml once SMTP is set, never when already sent", async () => {
    const [sent, kept, waiting] = queue([mail("r-sent"), mail("r-kept"), mail("r-waiting")]);
    getDb().update(emailOutbox).set({ state: "sent" }).where(eq(emailOutbox.id, sent)).run();
    getDb().update(emailOutbox).set({ state: "kept" }).where(eq(emailOutbox.id, kept)).run();
    getDb().update(emailOutbox).set({ state: "retrying", nextAttemptAt: "2099-01-01T00:00:00.000Z" }).where(eq(emailOutbox.id, waiting)).run();
    expect(retryEmail(sent)).toBe(false);
    expect(retryEmail(waiting)).toBe(true);
    expect(Date.parse(row(waiting).nextAttemptAt)).toBeLessThanOrEqual(Date.now());
    expect(row(waiting).state).toBe("pending");
    delete process.env.SMTP_URL;
    expect(retryEmail(kept)).toBe(false);
    process.env.SMTP_URL = smtp.url;
    expect(retryEmail(kept)).toBe(true);
    expect(row(kept).state).toBe("pending");
    expect(row(sent).state).toBe("sent");
  });

  it("can be sent again by an admin, with the same Message-ID", async () => {
    const [id] = queue([mail("revive")]);
    const stored = row(id).messageId;
    await killRow(id);
    smtp.rejectNext = 0;
    expect(retryEmail(id)).toBe(true);
    expect(countDeadUnacknowledged()).toBe(0);
    await processOutbox(getDb(), { now: clock });
    expect(row(id).state).toBe("sent");
    expect(smtp.received.filter((m) => m.messageId === stored)).toHaveLength(1);
  });
});

describe("pooled delivery", () => {
  it("delivers 300 emails over at most 5 SMTP connections at a time, each exactly once", async () => {
    const ids = queue(Array.from({ length: 300 }, (_, i) => mail(`pool-${i}`)));
    const connectionsBefore = smtp.connections;
    smtp.maxSessions = smtp.sessions;
    await drain();
    expect(smtp.maxSessions).toBeLessThanOrEqual(OUTBOX_RULES.concurrency);
    expect(smtp.maxSessions).toBeGreaterThan(1);
    // Pooled: connections are reused, not one per email.
    expect(smtp.connections - connectionsBefore).toBeLessThanOrEqual(5 * Math.ceil(300 / OUTBOX_RULES.batchSize));
    const counts = smtp.acceptedCounts();
    const stored = getDb().select({ id: emailOutbox.id, messageId: emailOutbox.messageId, state: emailOutbox.state }).from(emailOutbox).all();
    expect(stored.filter((r) => ids.includes(r.id)).every((r) => r.state === "sent" && counts.get(r.messageId!) === 1)).toBe(true);
    expect(smtp.received).toHaveLength(300);
  });
});

describe("stopping the worker", () => {
  it("lets deliveries in flight finish and hands back what it had not started", async () => {
    smtp.delayMs = 150;
    const ids = queue(Array.from({ length: 40 }, (_, i) => mail(`stop-${i}`)));
    startOutboxWorker({ intervalMs: 50 });
    await expect.poll(() => smtp.received.length, { timeout: 5_000, interval: 10 }).toBeGreaterThanOrEqual(5);
    await stopOutboxWorker(5_000);
    const rows = getDb().select().from(emailOutbox).all().filter((r) => ids.includes(r.id));
    expect(rows.filter((r) => r.state === "sending")).toEqual([]);
    const sent = rows.filter((r) => r.state === "sent");
    const waiting = rows.filter((r) => r.state === "pending");
    expect(sent.length + waiting.length).toBe(40);
    expect(waiting.length).toBeGreaterThan(0);
    // Nothing counted as a failed try, nothing accepted without being recorded as sent.
    expect(waiting.every((r) => r.attempts === 0 && r.lockedUntil === null)).toBe(true);
    expect(smtp.received.map((m) => m.messageId).sort()).toEqual(sent.map((r) => r.messageId).sort());

    // The next start sends the rest, each exactly once.
    smtp.delayMs = 0;
    await drain();
    const counts = smtp.acceptedCounts();
    expect(smtp.received).toHaveLength(40);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
  });

  it("aborts a stalled delivery at the deadline and releases it without counting a try", async () => {
    smtp.stallRcptMs = 10_000;
    const [id] = queue([mail("stalled")]);
    startOutboxWorker({ intervalMs: 50 });
    await expect.poll(() => row(id).state, { timeout: 5_000, interval: 10 }).toBe("sending");
    const t = Date.now();
    await stopOutboxWorker(300);
    expect(Date.now() - t).toBeLessThan(3_000);
    expect(row(id)).toMatchObject({ state: "pending", attempts: 0, lockedUntil: null });
    smtp.stallRcptMs = 0;
    await drain();
    expect(row(id).state).toBe("sent");
    expect(smtp.received.map((m) => m.messageId)).toEqual([row(id).messageId]);
  });
});

describe("schema", () => {
  it("refuses an unknown state", () => {
    expect(() =>
      getDb().$client.prepare("INSERT INTO email_outbox (to_address, subject, template, html, text, state) VALUES ('a@b.jp','s','t','h','x','delivered')").run(),
    ).toThrow(/CHECK/);
    expect(getDb().select().from(emailOutbox).where(and(eq(emailOutbox.toAddress, "a@b.jp"))).all()).toEqual([]);
  });
});
