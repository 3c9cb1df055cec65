/**
 * Reliability drills, run by `npm test`: each takes seconds, uses real parts
 * (SQLite files, smtp-server, the real `node server.mjs`) and only 127.0.0.1.
 *
 * - SMTP down during a burst, then up: every email delivered exactly once.
 * - SIGKILL during a burst of submissions: every acknowledged request is
 *   present and whole after a restart.
 * - SIGTERM with a queue: nothing lost, nothing sent twice.
 * - Online backup while writes go on, then restore: integrity and row counts.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { eq, sql } from "drizzle-orm";
import Database from "better-sqlite3";
import { closeDb, getDb, migrateDatabase, openDatabase, writeTransaction, type Db } from "../../app/db.server";
import { enqueueEmail, startOutboxWorker, stopOutboxWorker } from "../../app/email/outbox.server";
import { addDays, isYearEndClosure, todayInTokyo } from "../../app/lib/dates";
import { newIdempotencyKey, submitVisitRequest } from "../../app/requests/submit.server";
import { saveSettings } from "../../app/settings.server";
import { emailOutbox, programs, visitRequests, visits } from "../../db/schema";
import { useFreshDatabase } from "../support/db";
import { TestSmtp } from "../support/smtp";

const root = path.resolve(__dirname, "../..");
const today = todayInTokyo();

let ctx: ReturnType<typeof useFreshDatabase>;

function requestableDate(offset: number) {
  let d = addDays(today, offset);
  while (isYearEndClosure(d)) d = addDays(d, 1);
  return d;
}

/** A valid public request form, distinct per `i`. */
function requestForm(i: number | string): Record<string, string> {
  const n = String(i).replace(/\D/g, "").padStart(4, "0").slice(-4);
  return {
    organisationName: `訓練株式会社${i}`,
    organisationKind: "company",
    postalCode: "030-0801",
    address: `あおば市新町1-2-${n}`,
    contactName: "訓練 太郎",
    phone: `017-77${n.slice(0, 1)}-${n}`,
    email: `drill${i}@org${n}.example.jp`,
    expectedApplicants: "12",
    preferredDate1: requestableDate(40),
    preferredSlot1: "am",
    venueText: "本社 会議室",
    parking: "yes",
    message: "訓練です。",
    consent: "on",
    idempotencyKey: newIdempotencyKey(),
  };
}

/** A database the app accepts requests on: migrated, one active program, no per-address limit in the way. */
function prepareDatabase(db: Db) {
  migrateDatabase(db);
  db.insert(programs).values({ name: "訓練業務", fiscalYear: Number(today.slice(0, 4)), startsOn: addDays(today, -10), endsOn: addDays(today, 300), active: true }).run();
  writeTransaction((tx) => saveSettings(tx, { requestRateLimitPerHour: 1000 }, null), db);
}

const countOf = (db: Db, table: typeof visitRequests | typeof visits | typeof emailOutbox) => db.select({ n: sql<number>`count(*)` }).from(table).get()!.n;

beforeAll(() => {
  ctx = useFreshDatabase();
  process.env.APP_URL = "http://drill.test";
});

afterAll(async () => {
  await stopOutboxWorker();
  delete process.env.SMTP_URL;
  ctx.cleanup();
});

// ---------------------------------------------------------------------------

describe("drill: SMTP goes down during a burst, then comes back", () => {
  it("delivers every email exactly once", async () => {
    const smtp = await new TestSmtp().start();
    process.env.SMTP_URL = smtp.url;
    smtp.delayMs = 5;
    let offsetMs = 0;
    let fastForward: NodeJS.Timeout | undefined;
    const total = 300;
    const ids = writeTransaction((tx) => Array.from({ length: total }, (_, i) => enqueueEmail(tx, { to: `burst${i}@example.jp`, subject: `一斉${i}`, template: "drill", html: `<p>${i}</p>`, text: `${i}` })));
    try {
      startOutboxWorker({ intervalMs: 50, now: () => new Date(Date.now() + offsetMs) });
      await expect.poll(() => smtp.received.length, { timeout: 10_000, interval: 5 }).toBeGreaterThanOrEqual(40);
      await smtp.down();
      const duringOutage = smtp.received.length;
      expect(duringOutage).toBeLessThan(total);
      // The worker keeps trying while the port is closed: those tries fail and wait with back-off.
      await expect
        .poll(() => getDb().select({ n: sql<number>`count(*)` }).from(emailOutbox).where(eq(emailOutbox.state, "retrying")).get()!.n, { timeout: 10_000, interval: 20 })
        .toBeGreaterThan(0);
      await smtp.up();
      // Time passes (back-offs run out) instead of the test waiting for it: the outbox's clock runs
      // five minutes ahead every 50 ms, also for tries whose failure comes back after the server is up.
      fastForward = setInterval(() => (offsetMs += 5 * 60_000), 50);
      await expect
        .poll(() => getDb().select({ n: sql<number>`count(*)` }).from(emailOutbox).where(eq(emailOutbox.state, "sent")).get()!.n, { timeout: 15_000, interval: 50 })
        .toBe(total);
    } finally {
      clearInterval(fastForward);
      await stopOutboxWorker();
      await smtp.stop();
      delete process.env.SMTP_URL;
    }
    const rows = getDb().select().from(emailOutbox).all().filter((r) => ids.includes(r.id));
    const accepted = smtp.acceptedCounts();
    expect(smtp.received).toHaveLength(total);
    expect(rows.map((r) => accepted.get(r.messageId!) ?? 0)).toEqual(rows.map(() => 1));
    // The outage really hit the burst: some emails needed more than one try.
    expect(rows.some((r) => r.attempts > 1)).toBe(true);
  }, 60_000);
});

// ---------------------------------------------------------------------------
// The real server process

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

type Server = { child: ChildProcess; base: string; log: () => string; exited: Promise<number | null> };

async function startServer(opts: { dbFile: string; port: number; smtpUrl?: string; startupMs?: number }): Promise<Server> {
  const dir = path.dirname(opts.dbFile);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    PORT: String(opts.port),
    DATABASE_URL: opts.dbFile,
    APP_URL: `http://127.0.0.1:${opts.port}`,
    SESSION_SECRET: "drill-secret-drill-secret-drill-secret",
    MAIL_DIR: path.join(dir, "mail"),
    DEMO_DATA: "0",
  };
  if (opts.smtpUrl) env.SMTP_URL = opts.smtpUrl;
  else delete env.SMTP_URL;
  const child = spawn(process.execPath, ["server.mjs"], { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout!.on("data", (c) => (output += c));
  child.stderr!.on("data", (c) => (output += c));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const base = `http://127.0.0.1:${opts.port}`;
  const deadline = Date.now() + (opts.startupMs ?? 20_000);
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited early:\n${output}`);
    try {
      const res = await fetch(`${base}/healthz`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`server did not answer /healthz in time:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { child, base, log: () => output, exited };
}

async function postRequest(base: string, form: Record<string, string>) {
  const res = await fetch(`${base}/request?index`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: base, Referer: `${base}/request` },
    body: new URLSearchParams(form).toString(),
    redirect: "manual",
  });
  const html = await res.text();
  return { status: res.status, html, location: res.headers.get("Location") ?? "" };
}

describe("drills against the real server process", () => {
  let dir: string;
  // One start before the drills: server.mjs (re)builds the app when the build is missing or older than
  // the sources, and that must not happen on a drill's clock.
  beforeAll(async () => {
    const warmUp = fs.mkdtempSync(path.join(ctx.dir, "warm-up-"));
    const server = await startServer({ dbFile: path.join(warmUp, "demado.db"), port: await freePort(), startupMs: 240_000 });
    server.child.kill("SIGTERM");
    await server.exited;
  }, 300_000);
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(ctx.dir, "server-"));
  });

  it("SIGKILL during a burst of submissions: every acknowledged request is present and whole after a restart", async () => {
    const dbFile = path.join(dir, "demado.db");
    const setup = openDatabase(dbFile);
    prepareDatabase(setup);
    setup.$client.close();
    const port = await freePort();
    const server = await startServer({ dbFile, port });

    const total = 80;
    const acknowledged: { form: Record<string, string>; token: string }[] = [];
    let killed = false;
    let next = 0;
    const lane = async () => {
      while (next < total) {
        const form = requestForm(next++);
        try {
          const { status, html, location } = await postRequest(server.base, form);
          // Acknowledged: the 303 to the receipt page of that request (/request/done/:token).
          const token = /^\/request\/done\/([A-Za-z0-9_-]{32,})$/.exec(location)?.[1];
          if (status === 303 && token) acknowledged.push({ form, token });
          else if (!killed) throw new Error(`unexpected answer ${status}: ${html.slice(0, 300)}\n${server.log()}`);
        } catch (error) {
          if (!killed) throw error;
        }
        if (!killed && acknowledged.length >= 15) {
          killed = true;
          server.child.kill("SIGKILL");
        }
      }
    };
    await Promise.all(Array.from({ length: 10 }, lane));
    await server.exited;
    expect(killed).toBe(true);
    expect(acknowledged.length).toBeGreaterThanOrEqual(15);
    expect(acknowledged.length).toBeLessThan(total);

    const again = await startServer({ dbFile, port });
    try {
      const db = openDatabase(dbFile);
      const receipts = new Map<string, string>();
      try {
        for (const a of acknowledged) {
          const req = db.select().from(visitRequests).where(eq(visitRequests.statusToken, a.token)).get();
          expect(req, a.token).toMatchObject({ receiptNo: expect.stringMatching(/^G-\d{4}-\d{4,}$/), organisationName: a.form.organisationName, email: a.form.email, expectedApplicants: 12 });
          receipts.set(a.token, req!.receiptNo);
          const visit = db.select().from(visits).where(eq(visits.requestId, req!.id)).get();
          expect(visit).toMatchObject({ kind: "group", status: "requested" });
          const receipt = db.select().from(emailOutbox).where(eq(emailOutbox.relatedId, visit!.id)).all().filter((e) => e.template === "receipt");
          expect(receipt.map((e) => e.toAddress)).toEqual([a.form.email]);
        }
        // And nothing half-written: every stored request, acknowledged or not, has its visit and its receipt.
        const orphans = db.$client
          .prepare(
            `select count(*) n from visit_requests r
             left join visits v on v.request_id = r.id
             left join email_outbox e on e.related_entity = 'visit' and e.related_id = v.id and e.template = 'receipt'
             where v.id is null or e.id is null`,
          )
          .get() as { n: number };
        expect(orphans.n).toBe(0);
        expect(db.$client.pragma("integrity_check", { simple: true })).toBe("ok");
      } finally {
        db.$client.close();
      }
      // Each applicant's receipt page and status link work on the restarted server.
      for (const a of acknowledged.slice(0, 5)) {
        for (const page of ["done", "status"]) {
          const res = await fetch(`${again.base}/request/${page}/${a.token}`);
          expect(res.status).toBe(200);
          expect(await res.text()).toContain(receipts.get(a.token)!);
        }
      }
    } finally {
      again.child.kill("SIGTERM");
      await again.exited;
    }
  }, 60_000);

  it("SIGTERM with a queue of emails: after the restart nothing is lost and nothing is sent twice", async () => {
    const smtp = await new TestSmtp().start();
    smtp.delayMs = 100;
    const dbFile = path.join(dir, "demado.db");
    const setup = openDatabase(dbFile);
    prepareDatabase(setup);
    const total = 60;
    writeTransaction(
      (tx) => {
        for (let i = 0; i < total; i++) enqueueEmail(tx, { to: `queue${i}@example.jp`, subject: `待ち行列${i}`, template: "drill", html: `<p>${i}</p>`, text: `${i}` });
      },
      setup,
    );
    setup.$client.close();
    const port = await freePort();
    try {
      const first = await startServer({ dbFile, port, smtpUrl: smtp.url });
      await expect.poll(() => smtp.received.length, { timeout: 10_000, interval: 5 }).toBeGreaterThanOrEqual(10);
      const t = Date.now();
      first.child.kill("SIGTERM");
      expect(await first.exited).toBe(0);
      expect(Date.now() - t).toBeLessThan(8_000);

      const check = new Database(dbFile, { readonly: true });
      const states = check.prepare("select state, count(*) n from email_outbox group by state").all() as { state: string; n: number }[];
      const sentIds = (check.prepare("select message_id m from email_outbox where state = 'sent'").all() as { m: string }[]).map((r) => r.m).sort();
      check.close();
      // No email left claimed by the stopped process, and exactly the accepted ones recorded as sent.
      expect(states.find((s) => s.state === "sending")).toBeUndefined();
      expect(sentIds).toEqual(smtp.received.map((m) => m.messageId).sort());
      expect(sentIds.length).toBeLessThan(total);

      smtp.delayMs = 0;
      const second = await startServer({ dbFile, port, smtpUrl: smtp.url });
      await expect.poll(() => smtp.received.length, { timeout: 15_000, interval: 20 }).toBe(total);
      second.child.kill("SIGTERM");
      expect(await second.exited).toBe(0);
    } finally {
      await smtp.stop();
    }
    const db = new Database(dbFile, { readonly: true });
    const rows = db.prepare("select message_id m, state from email_outbox").all() as { m: string; state: string }[];
    db.close();
    const accepted = smtp.acceptedCounts();
    expect(rows).toHaveLength(total);
    expect(rows.every((r) => r.state === "sent" && accepted.get(r.m) === 1)).toBe(true);
    expect(smtp.received).toHaveLength(total);
  }, 60_000);
});

// ---------------------------------------------------------------------------

describe("drill: backup while the app writes, then restore", () => {
  it("`npm run backup` copies a consistent, intact snapshot; `npm run restore` puts it back", async () => {
    closeDb();
    const dir = fs.mkdtempSync(path.join(ctx.dir, "backup-"));
    const dbFile = path.join(dir, "demado.db");
    process.env.DATABASE_URL = dbFile;
    prepareDatabase(getDb());
    // Enough rows that the copy spans many pages.
    for (let i = 0; i < 100; i++) expect((await submitVisitRequest(requestForm(`pre${i}`), { ip: "127.0.0.1" })).ok).toBe(true);
    const before = countOf(getDb(), visitRequests);
    // A site photo file beside the database: backed up and restored with it.
    fs.mkdirSync(path.join(dir, "photos", "7"), { recursive: true });
    fs.writeFileSync(path.join(dir, "photos", "7", "a.jpg"), "photo-before-backup");

    // Requests keep arriving while the backup runs in its own process.
    const backup = spawn("npm", ["run", "-s", "backup"], { cwd: root, env: { ...process.env, DATABASE_URL: dbFile } });
    let output = "";
    backup.stdout.on("data", (c) => (output += c));
    backup.stderr.on("data", (c) => (output += c));
    const done = new Promise<number | null>((resolve) => backup.once("exit", resolve));
    let finished = false;
    void done.then(() => (finished = true));
    let written = 0;
    while (!finished) {
      const r = await submitVisitRequest(requestForm(`live${written}`), { ip: "127.0.0.1" });
      expect(r.ok).toBe(true);
      written++;
      await new Promise((r) => setTimeout(r, 2));
    }
    expect(await done, output).toBe(0);
    expect(written).toBeGreaterThan(0);
    const after = countOf(getDb(), visitRequests);
    expect(after).toBe(before + written);

    const file = output.match(/(\/\S+demado-\d{8}-\d{6}(?:-\d+)?\.db)/)?.[1];
    expect(file, output).toBeTruthy();
    expect(path.dirname(file!)).toBe(path.join(dir, "backups"));
    const copy = openDatabase(file!);
    const copied = countOf(copy, visitRequests);
    expect(copy.$client.pragma("integrity_check", { simple: true })).toBe("ok");
    // A snapshot of one moment: between the counts before and after, and whole (each request with its visit and receipt).
    expect(copied).toBeGreaterThanOrEqual(before);
    expect(copied).toBeLessThanOrEqual(after);
    expect(countOf(copy, visits)).toBe(copied);
    expect(copy.select({ n: sql<number>`count(*)` }).from(emailOutbox).where(eq(emailOutbox.template, "receipt")).get()!.n).toBe(copied);
    copy.$client.close();

    expect(fs.readFileSync(path.join(file!.replace(/\.db$/, ".photos"), "7", "a.jpg"), "utf8")).toBe("photo-before-backup");
    // Photos change after the backup: one replaced, one added.
    fs.writeFileSync(path.join(dir, "photos", "7", "a.jpg"), "photo-changed-later");
    fs.writeFileSync(path.join(dir, "photos", "7", "b.jpg"), "photo-added-later");

    // Restore over the live file (the app stopped): the later requests are gone, the snapshot is back, intact.
    closeDb();
    const restore = spawnSync("npm", ["run", "-s", "restore", "--", file!], { cwd: root, env: { ...process.env, DATABASE_URL: dbFile }, encoding: "utf8" });
    expect(restore.status, restore.stdout + restore.stderr).toBe(0);
    expect(fs.existsSync(`${dbFile}-wal`)).toBe(false);
    const restored = openDatabase(dbFile);
    expect(restored.$client.pragma("integrity_check", { simple: true })).toBe("ok");
    expect(countOf(restored, visitRequests)).toBe(copied);
    expect(countOf(restored, visits)).toBe(copied);
    restored.$client.close();
    // The photos are those of the backup; the ones before the restore are kept beside the backups.
    expect(fs.readdirSync(path.join(dir, "photos", "7"))).toEqual(["a.jpg"]);
    expect(fs.readFileSync(path.join(dir, "photos", "7", "a.jpg"), "utf8")).toBe("photo-before-backup");
    const keptPhotos = fs.readdirSync(path.join(dir, "backups")).find((f) => f.startsWith("pre-restore-") && f.endsWith(".photos"));
    expect(fs.readdirSync(path.join(dir, "backups", keptPhotos!, "7")).sort()).toEqual(["a.jpg", "b.jpg"]);
    // The database as it was before the restore is kept beside the backups.
    const safety = fs.readdirSync(path.join(dir, "backups")).find((f) => f.startsWith("pre-restore-") && f.endsWith(".db"));
    const saved = openDatabase(path.join(dir, "backups", safety!));
    expect(countOf(saved, visitRequests)).toBe(after);
    saved.$client.close();

    // A broken backup is refused and the database is left alone.
    const broken = path.join(dir, "broken.db");
    fs.writeFileSync(broken, Buffer.alloc(8192, 7));
    const refused = spawnSync("npm", ["run", "-s", "restore", "--", broken], { cwd: root, env: { ...process.env, DATABASE_URL: dbFile }, encoding: "utf8" });
    expect(refused.status).not.toBe(0);
    const untouched = openDatabase(dbFile);
    expect(countOf(untouched, visitRequests)).toBe(copied);
    untouched.$client.close();
  }, 60_000);
});
