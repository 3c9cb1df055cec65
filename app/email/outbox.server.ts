import fs from "node:fs";
import path from "node:path";
import nodemailer, { type Transporter } from "nodemailer";
import { and, asc, eq, lte, or, sql } from "drizzle-orm";
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
  fs.writeFileSync(path.join(e.MAIL_DIR, `${String(row.id).padStart(6, "0")}.eml`), info.message as Buffer);
}

/** Claim due rows (so two workers never send the same row), then send them one by one. */
export async function processOutbox(db: Db = getDb()): Promise<{ sent: number; failed: number }> {
  const now = new Date();
  const nowIso = now.toISOString();
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
          .set({ state: "sending", lockedUntil: new Date(now.getTime() + OUTBOX_RULES.claimMs).toISOString() })
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

