import type { BenchContext } from "./run";
import { getDb, writeTransaction } from "../../app/db.server";
import { hashPassword, verifyPassword } from "../../app/auth.server";
import { enqueueEmail, processOutbox } from "../../app/email/outbox.server";
import { organisationSearchKey } from "../../app/lib/normalise";
import { listOrganisations } from "../../app/crm/organisations.server";
import { parseFilters } from "../../app/crm/filters";
import { listFeedEvents } from "../../app/calendar/feed.server";
import { findCarClash } from "../../app/visits/booking.server";
import { organisations, programs, vehicles, visits } from "../../db/schema";
import { addDays, addMinutesLocal } from "../../app/lib/dates";
import { TestSmtp } from "../support/smtp";

type Suite = { name: string; run: (ctx: BenchContext) => Promise<void> };

const KINDS = ["company", "neighbourhood", "welfare", "school", "medical", "other"] as const;
const WORDS = ["あおば", "みどり", "さくら", "ひかり", "なみき", "かえで", "つばさ", "ゆうき", "はまなす", "ねぶた"];
const TAILS = ["商事", "町内会", "福祉会", "保育園", "クリニック", "建設", "自治会", "ホーム", "物産", "病院"];

export const suites: Suite[] = [
  {
    name: "sign-in password check",
    async run({ time, record }) {
      const hash = await hashPassword("bench-password-2026");
      const t = await time(() => verifyPassword(hash, "bench-password-2026"), 10);
      record("argon2id verify (median)", t.median, 500);
    },
  },
  {
    name: "20,000 organisations",
    async run({ time, record }) {
      const db = getDb();
      writeTransaction((tx) => {
        for (let i = 0; i < 20_000; i++) {
          const name = `${WORDS[i % 10]}${WORDS[(i * 7) % 10]}${TAILS[(i * 3) % 10]}${i}`;
          tx.insert(organisations)
            .values({ name, searchKey: organisationSearchKey(name), kind: KINDS[i % 6], phoneKey: String(170000000 + i), headCount: (i % 90) + 5 })
            .run();
        }
      });
      // The real list the CRM page calls: search key + reading, filters, priority computed in SQL.
      const byName = await time(() => listOrganisations(parseFilters(new URLSearchParams({ q: "みどり福祉" })), 1, db));
      record("organisation list: name search, 20k rows (p95)", byName.p95, 100);
      const byPriority = await time(() => listOrganisations(parseFilters(new URLSearchParams({ kind: "welfare", sort: "priority", page: "5" })), 1, db));
      record("organisation list: welfare by priority, page 5 (p95)", byPriority.p95, 100);
    },
  },
  {
    name: "car clash check",
    async run({ time, record }) {
      const db = getDb();
      const program = db.insert(programs).values({ name: "bench", fiscalYear: 2026, startsOn: "2026-04-01", endsOn: "2027-03-31" }).returning().get();
      const car = db.insert(vehicles).values({ name: "car" }).returning().get();
      writeTransaction((tx) => {
        for (let d = 0; d < 2000; d++) {
          const day = addDays("2026-04-01", d);
          const start = `${day}T10:00`;
          const end = `${day}T12:00`;
          tx.insert(visits)
            .values({ programId: program.id, kind: "roaming", mode: "support", status: "agreed", title: `s${d}`, vehicleId: car.id, date: day, startsAt: start, endsAt: end, holdStartsAt: addMinutesLocal(start, -60), holdEndsAt: addMinutesLocal(end, 60) })
            .run();
        }
      });
      const t = await time(() => findCarClash(db, { vehicleId: car.id, holdStartsAt: "2027-01-05T13:30", holdEndsAt: "2027-01-05T16:00" }), 200);
      record("car overlap check, 2,000 bookings (p95)", t.p95, 5);
      const feed = await time(() => listFeedEvents({ start: "2027-01-01T00:00", end: "2027-02-01T00:00" }, {}, db));
      record("calendar feed, one month of 2,000 sessions (p95)", feed.p95, 50);
    },
  },
  {
    name: "outbox delivery to .eml",
    async run({ record }) {
      const db = getDb();
      writeTransaction((tx) => {
        for (let i = 0; i < 200; i++) enqueueEmail(tx, { to: `a${i}@example.jp`, subject: "テスト", template: "bench", html: "<p>本文</p>", text: "本文" });
      });
      const t = performance.now();
      let kept = 0;
      while (kept < 200) {
        const r = await processOutbox(db);
        if (r.claimed === 0) break;
        kept += r.kept;
      }
      if (kept !== 200) throw new Error(`only ${kept} of 200 emails were written as .eml`);
      record("outbox: 200 emails written as .eml (total)", performance.now() - t, 3000);
    },
  },
  {
    name: "outbox delivery over pooled SMTP",
    async run({ record }) {
      // A real SMTP server on 127.0.0.1 that accepts everything; the outbox sends over its pool as the server's worker does.
      const smtp = await new TestSmtp().start();
      process.env.SMTP_URL = smtp.url;
      try {
        const db = getDb();
        const count = 1000;
        writeTransaction((tx) => {
          for (let i = 0; i < count; i++) enqueueEmail(tx, { to: `b${i}@example.jp`, subject: "速度テスト", template: "bench", html: "<p>本文です。</p>", text: "本文です。" });
        });
        const t = performance.now();
        for (;;) {
          const r = await processOutbox(db);
          if (r.claimed === 0) break;
        }
        const ms = performance.now() - t;
        if (smtp.received.length !== count) throw new Error(`SMTP server received ${smtp.received.length} of ${count} emails`);
        // At least 50 emails per second: at most 20 ms per email.
        record(`outbox: ms per email over pooled SMTP (${count} emails, ${Math.round((count / ms) * 1000)}/s; limit = 50/s)`, ms / count, 20);
      } finally {
        delete process.env.SMTP_URL;
        await smtp.stop();
      }
    },
  },
];
