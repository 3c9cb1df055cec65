import fs from "node:fs";
import path from "node:path";
import nodemailer, { type Transporter } from "nodemailer";
import { and, asc, desc, eq, lte, or, sql } from "drizzle-orm";
import { emailOutbox } from "../../db/schema";
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

/**
 * Queue an email. Call it inside the transaction of the change that causes
 * it: the email exists exactly when the change does, and survives SMTP outages
 * and crashes until the worker delivers it.
 */
export function enqueueEmail(tx: Tx | Db, email: OutgoingEmail): number {
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
    })
    .returning({ id: emailOutbox.id })
    .get();
  return row.id;
}

export const OUTBOX_RULES = {
  maxAttempts: 8,
  baseDelayMs: 30_000,
  maxDelayMs: 60 * 60_000,
  /** A row claimed by a worker that died is retried after this. */
  claimMs: 2 * 60_000,
  batchSize: 20,
} as const;

/** Exponential back-off with full jitter. */
export function retryDelayMs(attempts: number, random = Math.random): number {
  const cap = Math.min(OUTBOX_RULES.maxDelayMs, OUTBOX_RULES.baseDelayMs * 2 ** Math.max(0, attempts - 1));
  return Math.round(cap / 2 + random() * (cap / 2));
}

/** Message-ID from the outbox id: a resent email is recognisable as the same message. */
export function messageIdFor(id: number): string {
  const host = new URL(env().APP_URL).hostname || "localhost";
  return `<outbox-${id}@${host}>`;
}

let transport: Transporter | undefined;
let transportKey: string | undefined;
function smtpTransport(): Transporter | undefined {
  const url = env().SMTP_URL;
  if (!url) return undefined;
  if (!transport || transportKey !== url) {
    transport = nodemailer.createTransport(url, { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 20_000 } as never);
    transportKey = url;
  }
  return transport;
}

type OutboxRow = typeof emailOutbox.$inferSelect;

async function deliver(row: OutboxRow) {
  const e = env();
  const message = {
    from: e.MAIL_FROM,
    to: row.toAddress,
    subject: row.subject,
    html: row.html,
    text: row.text,
    messageId: messageIdFor(row.id),
    attachments: (row.attachments ?? []).map((a) => ({
      filename: a.filename,
      contentType: a.contentType,
      content: Buffer.from(a.content, "base64"),
    })),
  };
  const smtp = smtpTransport();
  if (smtp) {
    await smtp.sendMail(message);
    return;
  }
  // No SMTP server configured: keep the email as an .eml file admins can open.
  const streamer = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: "unix" });
  const info = await streamer.sendMail(message);
  fs.mkdirSync(e.MAIL_DIR, { recursive: true });
  // Write then rename: a half-written file never appears.
  const file = emlPath(row.id);
  fs.writeFileSync(`${file}.tmp`, info.message as Buffer);
  fs.renameSync(`${file}.tmp`, file);
}

/** Where the .eml of an outbox row is kept when no SMTP server is configured. */
export function emlPath(id: number): string {
  return path.join(env().MAIL_DIR, `${String(id).padStart(6, "0")}.eml`);
}

/** Claim due rows (so two workers never send the same row), then send them one by one. */
export async function processOutbox(db: Db = getDb()): Promise<{ sent: number; failed: number }> {
  const now = new Date();
  const nowIso = now.toISOString();
  const claimedUntil = new Date(now.getTime() + OUTBOX_RULES.claimMs).toISOString();
  const claimed = db.transaction(
    (tx) => {
      const due = tx
        .select()
        .from(emailOutbox)
        .where(
          and(
            or(eq(emailOutbox.state, "pending"), and(eq(emailOutbox.state, "sending"), lte(emailOutbox.lockedUntil, nowIso))),
            lte(emailOutbox.nextAttemptAt, nowIso),
          ),
        )
        .orderBy(asc(emailOutbox.nextAttemptAt), asc(emailOutbox.id))
        .limit(OUTBOX_RULES.batchSize)
        .all();
      for (const row of due) {
        tx.update(emailOutbox)
          .set({ state: "sending", lockedUntil: claimedUntil })
          .where(eq(emailOutbox.id, row.id))
          .run();
      }
      return due;
    },
    { behavior: "immediate" },
  );

  let sent = 0;
  let failed = 0;
  for (const row of claimed) {
    // Renew the claim just before sending: if a slow batch outlived it and
    // another worker took the row over, leave it to that worker (never send twice).
    const renewed = db
      .update(emailOutbox)
      .set({ lockedUntil: new Date(Date.now() + OUTBOX_RULES.claimMs).toISOString() })
      .where(and(eq(emailOutbox.id, row.id), eq(emailOutbox.state, "sending"), eq(emailOutbox.lockedUntil, claimedUntil)))
      .run();
    if (renewed.changes !== 1) continue;
    try {
      await deliver(row);
      db.update(emailOutbox)
        .set({ state: "sent", sentAt: new Date().toISOString(), attempts: row.attempts + 1, lockedUntil: null, lastError: null })
        .where(eq(emailOutbox.id, row.id))
        .run();
      sent++;
    } catch (error) {
      failed++;
      const attempts = row.attempts + 1;
      const dead = attempts >= OUTBOX_RULES.maxAttempts;
      db.update(emailOutbox)
        .set({
          state: dead ? "dead" : "pending",
          attempts,
          lockedUntil: null,
          lastError: String((error as Error)?.message ?? error).slice(0, 500),
          nextAttemptAt: new Date(Date.now() + retryDelayMs(attempts)).toISOString(),
        })
        .where(eq(emailOutbox.id, row.id))
        .run();
    }
  }
  return { sent, failed };
}

/** Admin action: send a failed or waiting email again now. */
export function retryEmail(id: number, db: Db = getDb()) {
  db.update(emailOutbox)
    .set({ state: "pending", nextAttemptAt: new Date().toISOString(), lockedUntil: null })
    .where(and(eq(emailOutbox.id, id), or(eq(emailOutbox.state, "dead"), eq(emailOutbox.state, "pending"))))
    .run();
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
export function listOutbox(input: { state?: (typeof emailOutbox.$inferSelect)["state"] | null; page?: number }, db: Db = getDb()) {
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

let timer: NodeJS.Timeout | undefined;
let running = false;

/** Poll the outbox every few seconds in the server process. */
export function startOutboxWorker(intervalMs = 3000) {
  if (timer) return;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      await processOutbox();
    } catch (error) {
      console.error("outbox:", error);
    } finally {
      running = false;
    }
  };
  timer = setInterval(tick, intervalMs);
  timer.unref();
  void tick();
}

export function stopOutboxWorker() {
  if (timer) clearInterval(timer);
  timer = undefined;
}

