/**
 * The email outbox: every email is a row written in the transaction of the
 * change that causes it, then delivered by a worker over pooled SMTP (or kept
 * as an .eml file when SMTP_URL is unset).
 *
 * States (db/enums.ts): pending → sending → sent (SMTP accepted it) | kept
 * (.eml only, SMTP not configured) | retrying (failed, waits for
 * next_attempt_at) | dead (retries exhausted: admins get a banner and an email).
 */
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import nodemailer, { type Transporter } from "nodemailer";
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { and, asc, desc, eq, inArray, isNull, lte, or, sql } from "drizzle-orm";
import { emailOutbox, users } from "../../db/schema";
import { StaffNoticeEmail, staffNoticeText } from "../../emails/staff-notice";
import { getDb, type Db, type Tx } from "../db.server";
import { env } from "../env.server";

export type OutgoingEmail = {
  to: string;
  subject: string;
  template: string;
  html: string;
  text: string;
  attachments?: { filename: string; contentType: string; content: string }[];
  related?: { entity: string; id: number };
};

type OutboxRow = typeof emailOutbox.$inferSelect;
export type OutboxState = OutboxRow["state"];

/** Template of the email that tells admins about dead emails; an alert about an alert is never sent. */
export const ALERT_TEMPLATE = "outbox_alert";

export const OUTBOX_RULES = {
  maxAttempts: 8,
  baseDelayMs: 30_000,
  maxDelayMs: 60 * 60_000,
  /** A row claimed by a worker that died is taken over after this. */
  claimMs: 2 * 60_000,
  /** Rows claimed at once. */
  batchSize: 50,
  /** Parallel SMTP deliveries (= pooled connections). */
  concurrency: 5,
  /** On shutdown, in-flight deliveries get this long before they are aborted and their claim released. */
  stopDeadlineMs: 5_000,
} as const;

/** Message-ID for a new outbox row: a random UUID, so it never repeats across databases or instances. */
export function newMessageId(): string {
  // Stryker disable next-line StringLiteral: unreachable fallback, APP_URL is always an http(s) URL with a host.
  const host = new URL(env().APP_URL).hostname || "localhost";
  return `<${crypto.randomUUID()}@${host}>`;
}

/**
 * Queue an email inside the transaction of the change that causes it: the
 * email exists exactly when the change does (it rolls back with it), and
 * survives SMTP outages and crashes until the worker delivers it. Only a
 * transaction handle is accepted, by type and at run time.
 */
export function enqueueEmail(tx: Tx, email: OutgoingEmail): number {
  if (typeof (tx as { rollback?: unknown }).rollback !== "function") {
    throw new Error("enqueueEmail must be called with the transaction of the change that causes the email");
  }
  const row = tx
    .insert(emailOutbox)
    .values({
      toAddress: email.to,
      subject: email.subject,
      template: email.template,
      html: email.html,
      text: email.text,
      attachments: email.attachments ?? null,
      relatedEntity: email.related?.entity ?? null,
      relatedId: email.related?.id ?? null,
      messageId: newMessageId(),
    })
    .returning({ id: emailOutbox.id })
    .get();
  return row.id;
}

/**
 * Delay before the next try after `attempts` failures: exponential (30 s, 1 min,
 * 2 min, …) capped at one hour, with jitter in the upper half so that emails
 * that failed together do not retry together. Until the cap, every possible
 * delay of attempt n+1 is at least every possible delay of attempt n.
 */
export function retryDelayMs(attempts: number, random = Math.random): number {
  const cap = Math.min(OUTBOX_RULES.maxDelayMs, OUTBOX_RULES.baseDelayMs * 2 ** Math.max(0, attempts - 1));
  return Math.round(cap / 2 + random() * (cap / 2));
}

// --- transports -------------------------------------------------------------

/** A pooled SMTP transport: a few connections reused for many messages. */
function createSmtpPool(url: string): Transporter {
  return nodemailer.createTransport({
    url,
    pool: true,
    maxConnections: OUTBOX_RULES.concurrency,
    maxMessages: 500,
    // The outbox owns retries (with back-off and a Message-ID that stays the same); the pool must not resend on its own.
    maxRequeues: 0,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 20_000,
  } as never);
}

let emlTransport: Transporter | undefined;
function emlStreamer(): Transporter {
  emlTransport ??= nodemailer.createTransport({ streamTransport: true, buffer: true, newline: "unix" });
  return emlTransport;
}

function messageOf(row: OutboxRow & { messageId: string }) {
  return {
    from: env().MAIL_FROM,
    to: row.toAddress,
    subject: row.subject,
    html: row.html,
    text: row.text,
    messageId: row.messageId,
    attachments: (row.attachments ?? []).map((a) => ({
      filename: a.filename,
      contentType: a.contentType,
      content: Buffer.from(a.content, "base64"),
    })),
  };
}

/** Send one row: "sent" when the SMTP server accepted it, "kept" when it was written as .eml because SMTP is not configured. */
async function deliver(row: OutboxRow & { messageId: string }, smtp: Transporter | undefined, signal?: AbortSignal): Promise<"sent" | "kept"> {
  const message = messageOf(row);
  if (smtp) {
    await smtp.sendMail({ ...message, signal });
    return "sent";
  }
  const info = await emlStreamer().sendMail(message);
  fs.mkdirSync(env().MAIL_DIR, { recursive: true });
  // Write then rename: a half-written file never appears.
  const file = emlPath(row.id);
  fs.writeFileSync(`${file}.tmp`, info.message as Buffer);
  fs.renameSync(`${file}.tmp`, file);
  return "kept";
}

/** Where the .eml of an outbox row is kept when no SMTP server is configured. */
export function emlPath(id: number): string {
  return path.join(env().MAIL_DIR, `${String(id).padStart(6, "0")}.eml`);
}

// --- the worker's batch -------------------------------------------------------

export type OutboxRunOptions = {
  /** Clock (tests move it forward instead of waiting for back-offs). */
  now?: () => Date;
  /** Stop claiming and starting deliveries; claimed rows not yet started are released. */
  stop?: AbortSignal;
  /** Abort deliveries in flight; their rows are released without counting a try. */
  abort?: AbortSignal;
  /** A pooled SMTP transport to reuse across batches (the caller closes it); otherwise one is opened for this batch. */
  smtp?: Transporter;
};

export type OutboxRunResult = {
  /** Rows this batch claimed. */
  claimed: number;
  /** Accepted by the SMTP server. */
  sent: number;
  /** Written as .eml because SMTP is not configured. */
  kept: number;
  /** Failed this time (retrying or dead). */
  failed: number;
  /** Failed for the last time. */
  dead: number;
  /** Claimed but handed back unsent because the worker is stopping. */
  released: number;
};

/**
 * One batch: claim due rows (so two workers never send the same row), deliver
 * them over a pool with bounded concurrency, record each outcome at once.
 */
export async function processOutbox(db: Db = getDb(), opts: OutboxRunOptions = {}): Promise<OutboxRunResult> {
  const clock = opts.now ?? (() => new Date());
  const result: OutboxRunResult = { claimed: 0, sent: 0, kept: 0, failed: 0, dead: 0, released: 0 };
  if (opts.stop?.aborted) return result;
  const claimedAt = clock();
  const nowIso = claimedAt.toISOString();
  const claimedUntil = new Date(claimedAt.getTime() + OUTBOX_RULES.claimMs).toISOString();
  const claimed = db.transaction(
    (tx) => {
      const due = tx
        .select()
        .from(emailOutbox)
        .where(
          or(
            and(inArray(emailOutbox.state, ["pending", "retrying"]), lte(emailOutbox.nextAttemptAt, nowIso)),
            // A worker died while sending: take the row over once its claim has run out.
            and(eq(emailOutbox.state, "sending"), lte(emailOutbox.lockedUntil, nowIso)),
          ),
        )
        .orderBy(asc(emailOutbox.nextAttemptAt), asc(emailOutbox.id))
        .limit(OUTBOX_RULES.batchSize)
        .all();
      if (due.length === 0) return [];
      tx.update(emailOutbox)
        .set({ state: "sending", lockedUntil: claimedUntil })
        .where(inArray(emailOutbox.id, due.map((r) => r.id)))
        .run();
      return due.map((row) => {
        if (row.messageId) return { ...row, messageId: row.messageId };
        // A row queued before Message-IDs were stored: fix one now, before its first try, and keep it.
        const messageId = newMessageId();
        tx.update(emailOutbox).set({ messageId }).where(eq(emailOutbox.id, row.id)).run();
        return { ...row, messageId };
      });
    },
    { behavior: "immediate" },
  );
  result.claimed = claimed.length;
  if (claimed.length === 0) return result;

  const url = env().SMTP_URL;
  const smtp = url ? (opts.smtp ?? createSmtpPool(url)) : undefined;
  const ownsPool = Boolean(url && !opts.smtp);
  const queue = [...claimed];
  const claimedIds = claimed.map((r) => r.id);
  let lockedUntil = claimedUntil;

  const release = (row: OutboxRow) => {
    db.update(emailOutbox)
      .set({ state: row.attempts > 0 ? "retrying" : "pending", lockedUntil: null })
      .where(and(eq(emailOutbox.id, row.id), eq(emailOutbox.state, "sending")))
      .run();
    result.released++;
  };

  const lane = async () => {
    for (;;) {
      if (opts.stop?.aborted || opts.abort?.aborted) return;
      const row = queue.shift();
      if (!row) return;
      // A slow batch may outlive its claim and another worker may take rows over: renew the batch's claim
      // (only when less than half of it is left, to spare a write per email) and skip a row that is no longer ours.
      const left = Date.parse(lockedUntil) - clock().getTime();
      if (left < OUTBOX_RULES.claimMs / 2) {
        const renewedUntil = new Date(clock().getTime() + OUTBOX_RULES.claimMs).toISOString();
        const renewed = db
          .update(emailOutbox)
          .set({ lockedUntil: renewedUntil })
          .where(and(eq(emailOutbox.state, "sending"), eq(emailOutbox.lockedUntil, lockedUntil), inArray(emailOutbox.id, claimedIds)))
          .run();
        if (renewed.changes > 0) lockedUntil = renewedUntil;
      }
      const mine = db
        .select({ n: sql<number>`count(*)` })
        .from(emailOutbox)
        .where(and(eq(emailOutbox.id, row.id), eq(emailOutbox.state, "sending"), eq(emailOutbox.lockedUntil, lockedUntil)))
        .get();
      if (!mine?.n) continue;
      try {
        const outcome = await deliver(row, smtp, opts.abort);
        db.update(emailOutbox)
          .set({ state: outcome, sentAt: clock().toISOString(), attempts: row.attempts + 1, lockedUntil: null, lastError: null })
          .where(eq(emailOutbox.id, row.id))
          .run();
        result[outcome]++;
      } catch (error) {
        if (opts.abort?.aborted) {
          // Shutting down: not a failure of the email. Hand it back untouched for the next start.
          release(row);
          continue;
        }
        const died = recordFailure(db, row, error, clock());
        result.failed++;
        if (died) result.dead++;
      }
    }
  };

  try {
    await Promise.all(Array.from({ length: Math.min(OUTBOX_RULES.concurrency, queue.length) }, lane));
  } finally {
    // Claimed but never started (stopping): back to the queue at once, not after the claim runs out.
    for (const row of queue.splice(0)) release(row);
    if (ownsPool) smtp?.close();
  }
  return result;
}

/** A failed try: retry later with back-off, or give up and alert the admins (in one transaction). Returns true when the email is dead. */
function recordFailure(db: Db, row: OutboxRow, error: unknown, now: Date): boolean {
  const attempts = row.attempts + 1;
  const dead = attempts >= OUTBOX_RULES.maxAttempts;
  const lastError = String((error as Error)?.message ?? error).slice(0, 500);
  db.transaction(
    (tx) => {
      tx.update(emailOutbox)
        .set({
          state: dead ? "dead" : "retrying",
          attempts,
          lockedUntil: null,
          lastError,
          nextAttemptAt: new Date(now.getTime() + retryDelayMs(attempts)).toISOString(),
        })
        .where(eq(emailOutbox.id, row.id))
        .run();
      if (dead) queueDeadLetterAlert(tx, { ...row, attempts, lastError });
    },
    // Stryker disable next-line ObjectLiteral: takes the write lock up front against other processes; one test process cannot tell.
    { behavior: "immediate" },
  );
  return dead;
}

/**
 * Email every active admin that an email could not be delivered. Never for an
 * alert email itself (no loop), and not while an earlier alert is still
 * waiting to go out (an SMTP outage that kills hundreds of emails gives one
 * alert, not hundreds); the banner on admin pages always shows the full count.
 */
function queueDeadLetterAlert(tx: Tx, row: OutboxRow) {
  if (row.template === ALERT_TEMPLATE) return;
  const unsentAlert = tx
    .select({ id: emailOutbox.id })
    .from(emailOutbox)
    .where(and(eq(emailOutbox.template, ALERT_TEMPLATE), inArray(emailOutbox.state, ["pending", "sending", "retrying"])))
    .limit(1)
    .get();
  if (unsentAlert) return;
  const admins = tx.select({ email: users.email }).from(users).where(and(eq(users.role, "admin"), eq(users.active, true))).all();
  // Stryker disable next-line ConditionalExpression: equivalent, with no admin the loop below queues nothing either.
  if (admins.length === 0) return;
  const total = countDeadUnacknowledged(tx);
  const notice = {
    title: `【要対応】メールを送信できませんでした（未確認 ${total}件）`,
    lines: [
      `${row.toAddress} 宛てのメール「${row.subject}」（#${row.id}）を${row.attempts}回送ろうとしましたが、送信できませんでした。`,
      `最後のエラー: ${row.lastError ?? "不明"}`,
      `送信できなかった未確認のメールは全部で${total}件です。メール送信状況の画面で宛先とエラーを確認し、「再送する」か「確認済みにする」を選んでください。`,
    ],
    link: `${env().APP_URL}/admin/outbox?state=dead`,
  };
  const html = `<!DOCTYPE html>${renderToStaticMarkup(createElement(StaffNoticeEmail, { notice }))}`;
  for (const admin of admins) {
    enqueueEmail(tx, { to: admin.email, subject: notice.title, template: ALERT_TEMPLATE, html, text: staffNoticeText(notice), related: { entity: "email_outbox", id: row.id } });
  }
}

// --- admin operations -----------------------------------------------------------

/**
 * Admin action: try again now. A dead or retrying email goes back to the
 * queue; a kept (.eml) one too, once SMTP is configured. Returns whether it did.
 */
export function retryEmail(id: number, db: Db = getDb()): boolean {
  const states: OutboxState[] = env().SMTP_URL ? ["dead", "retrying", "pending", "kept"] : ["dead", "retrying", "pending"];
  const r = db
    .update(emailOutbox)
    .set({ state: "pending", nextAttemptAt: new Date().toISOString(), lockedUntil: null, acknowledgedAt: null })
    .where(and(eq(emailOutbox.id, id), inArray(emailOutbox.state, states)))
    .run();
  return r.changes === 1;
}

/** Admin action: a dead email has been seen (e.g. the address is wrong); it leaves the alert banner. */
export function acknowledgeDeadEmail(id: number, db: Db = getDb()): boolean {
  const r = db
    .update(emailOutbox)
    .set({ acknowledgedAt: new Date().toISOString() })
    .where(and(eq(emailOutbox.id, id), eq(emailOutbox.state, "dead"), isNull(emailOutbox.acknowledgedAt)))
    .run();
  return r.changes === 1;
}

/** Dead emails no admin has marked as seen: the count on the alert banner. */
export function countDeadUnacknowledged(db: Db | Tx = getDb()): number {
  return (
    db
      .select({ n: sql<number>`count(*)` })
      .from(emailOutbox)
      .where(and(eq(emailOutbox.state, "dead"), isNull(emailOutbox.acknowledgedAt)))
      // Stryker disable next-line OptionalChaining: equivalent, count(*) always returns a row.
      .get()?.n ?? 0
  );
}

/** The kept .eml of an outbox row, or null. */
export function readEml(id: number): Buffer | null {
  try {
    return fs.readFileSync(emlPath(id));
  } catch {
    return null;
  }
}

export function hasEml(id: number): boolean {
  return fs.existsSync(emlPath(id));
}

export const OUTBOX_PAGE_SIZE = 50;

/** Admin list, newest first, optionally one state. */
export function listOutbox(input: { state?: OutboxState | null; page?: number }, db: Db = getDb()) {
  const where = input.state ? eq(emailOutbox.state, input.state) : undefined;
  const total = db.select({ n: sql<number>`count(*)` }).from(emailOutbox).where(where).get()?.n ?? 0;
  const pageCount = Math.max(1, Math.ceil(total / OUTBOX_PAGE_SIZE));
  const page = Math.min(Math.max(1, input.page ?? 1), pageCount);
  const rows = db
    .select({
      id: emailOutbox.id,
      toAddress: emailOutbox.toAddress,
      subject: emailOutbox.subject,
      template: emailOutbox.template,
      state: emailOutbox.state,
      attempts: emailOutbox.attempts,
      nextAttemptAt: emailOutbox.nextAttemptAt,
      lastError: emailOutbox.lastError,
      sentAt: emailOutbox.sentAt,
      acknowledgedAt: emailOutbox.acknowledgedAt,
      createdAt: emailOutbox.createdAt,
    })
    .from(emailOutbox)
    .where(where)
    .orderBy(desc(emailOutbox.id))
    .limit(OUTBOX_PAGE_SIZE)
    .offset((page - 1) * OUTBOX_PAGE_SIZE)
    .all();
  return { rows, total, page, pageCount };
}

export function getOutboxEmail(id: number, db: Db = getDb()) {
  return db.select().from(emailOutbox).where(eq(emailOutbox.id, id)).get() ?? null;
}

export function outboxCounts(db: Db = getDb()) {
  return db
    .select({ state: emailOutbox.state, n: sql<number>`count(*)` })
    .from(emailOutbox)
    .groupBy(emailOutbox.state)
    .all();
}

// --- the worker in the server process ---------------------------------------------

type Worker = {
  timer: NodeJS.Timeout;
  /** The drain in progress, if any. */
  run: Promise<void> | null;
  /** Aborted by stop(): claim nothing more. */
  stop: AbortController;
  /** Aborted at stop()'s deadline: cut deliveries in flight and release them. */
  abort: AbortController;
};

let worker: Worker | undefined;

/**
 * Poll the outbox every few seconds in the server process. A backlog drains
 * batch after batch over one SMTP pool, without waiting for the next tick.
 */
export function startOutboxWorker(opts: { intervalMs?: number; now?: () => Date } = {}) {
  if (worker) return;
  const w: Worker = { timer: undefined as never, run: null, stop: new AbortController(), abort: new AbortController() };
  const drain = async () => {
    const url = env().SMTP_URL;
    const smtp = url ? createSmtpPool(url) : undefined;
    try {
      for (;;) {
        const r = await processOutbox(getDb(), { now: opts.now, stop: w.stop.signal, abort: w.abort.signal, smtp });
        if (r.claimed < OUTBOX_RULES.batchSize || w.stop.signal.aborted) return;
      }
    } finally {
      smtp?.close();
    }
  };
  const tick = () => {
    if (w.run || w.stop.signal.aborted) return;
    w.run = drain()
      .catch((error) => console.error("outbox:", error))
      .finally(() => {
        w.run = null;
      });
  };
  w.timer = setInterval(tick, opts.intervalMs ?? 3000);
  w.timer.unref();
  worker = w;
  tick();
}

/**
 * Stop the worker: claim nothing more, hand back claimed rows not yet started,
 * let deliveries in flight finish until the deadline, then abort them and hand
 * their rows back too (not counted as a try). After it resolves no email of
 * this process is in "sending", so the next start sends each one exactly once.
 */
export async function stopOutboxWorker(deadlineMs: number = OUTBOX_RULES.stopDeadlineMs): Promise<void> {
  const w = worker;
  if (!w) return;
  worker = undefined;
  clearInterval(w.timer);
  w.stop.abort();
  if (!w.run) return;
  const deadline = setTimeout(() => w.abort.abort(), deadlineMs);
  try {
    await w.run;
  } finally {
    clearTimeout(deadline);
  }
}
