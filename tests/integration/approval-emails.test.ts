import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ParsedMail } from "mailparser";
import { startParsingSmtp } from "../support/smtp";
import { processOutbox } from "../../app/email/outbox.server";
import { rescheduleVisit } from "../../app/visits/scheduling.server";
import { applyTransition } from "../../app/visits/transitions.server";
import { useFreshDatabase } from "../support/db";
import { groupVisit, plainWeekdayAhead, seedBasics, type Fixture } from "../support/visits";

let ctx: ReturnType<typeof useFreshDatabase>;
let f: Fixture;
let smtp: Awaited<ReturnType<typeof startParsingSmtp>>;
let inbox: ParsedMail[] = [];

beforeAll(async () => {
  smtp = await startParsingSmtp();
  inbox = smtp.inbox;
  process.env.SMTP_URL = smtp.url;
  process.env.APP_URL = "http://demado.test";
  ctx = useFreshDatabase();
  f = seedBasics();
});
afterAll(async () => {
  ctx.cleanup();
  delete process.env.SMTP_URL;
  await smtp.close();
});

function weekdayAhead(min: number) {
  return plainWeekdayAhead(min);
}

const to = (m: ParsedMail) => (Array.isArray(m.to) ? m.to[0] : m.to)?.value[0]?.address;

describe("emails to the organisation about the city's decisions (real SMTP)", () => {
  it("tells the organisation when its visit is confirmed, changed and declined, with its status link", async () => {
    const date = weekdayAhead(30);
    const a = groupVisit(f, { status: "screening", date, email: "kaichou@example.jp", name: "あおば第一町内会" });
    expect(applyTransition({ visitId: a.visitId, transition: "submit_for_approval", actor: f.staff }).ok).toBe(true);
    expect(applyTransition({ visitId: a.visitId, transition: "approve", actor: f.city }).ok).toBe(true);
    await processOutbox();
    const confirmed = inbox.find((m) => to(m) === "kaichou@example.jp");
    expect(confirmed?.subject).toContain("確定");
    expect(confirmed?.text).toContain(`/request/status/${a.token}`);

    // Moved and re-approved: a "changed" email.
    expect(rescheduleVisit({ visitId: a.visitId, startsAt: `${date}T13:00`, endsAt: `${date}T15:00` }, f.staff).ok).toBe(true);
    expect(applyTransition({ visitId: a.visitId, transition: "approve", actor: f.city }).ok).toBe(true);
    // Declined elsewhere.
    const b = groupVisit(f, { status: "screening", date: weekdayAhead(37), email: "shisetsu@example.jp" });
    applyTransition({ visitId: b.visitId, transition: "submit_for_approval", actor: f.staff });
    expect(applyTransition({ visitId: b.visitId, transition: "decline", actor: f.city, comment: "同日に市の行事があるため" }).ok).toBe(true);
    // A change request goes to staff, not to the organisation.
    const c = groupVisit(f, { status: "screening", date: weekdayAhead(44), email: "quiet@example.jp" });
    applyTransition({ visitId: c.visitId, transition: "submit_for_approval", actor: f.staff });
    applyTransition({ visitId: c.visitId, transition: "request_changes", actor: f.city, comment: "人数を確認" });

    const sent = await processOutbox();
    expect(sent.failed).toBe(0);
    const forA = inbox.filter((m) => to(m) === "kaichou@example.jp").map((m) => m.subject ?? "");
    expect(forA).toHaveLength(2);
    expect(forA[1]).toContain("変更");
    const forB = inbox.filter((m) => to(m) === "shisetsu@example.jp");
    expect(forB).toHaveLength(1);
    expect(forB[0].subject).toMatch(/お申し込みについて|見送/);
    expect(inbox.some((m) => to(m) === "quiet@example.jp")).toBe(false);
  });
});
