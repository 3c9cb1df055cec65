/**
 * Emails to an organisation about its request/visit, rendered from the React
 * templates in emails/ (HTML + plain text) and queued in the outbox inside the
 * caller's transaction. renderToStaticMarkup is synchronous, so rendering
 * happens inside the transaction too.
 */
import { and, eq } from "drizzle-orm";
import type { VisitKind, VisitMode, VisitStatus } from "../../db/enums";
import { createElement, type ReactElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { approvals, contacts, organisationContacts, organisations, users, venues, visitRequests, visits } from "../../db/schema";
import { CancelledEmail, cancelledSubject, cancelledText } from "../../emails/cancelled";
import { CityCancelledEmail, cityCancelledSubject, cityCancelledText } from "../../emails/city-cancelled";
import { ChangedEmail, changedSubject, changedText } from "../../emails/changed";
import { ConfirmedEmail, confirmedSubject, confirmedText } from "../../emails/confirmed";
import { DeclinedEmail, declinedSubject, declinedText } from "../../emails/declined";
import { ReceiptEmail, receiptSubject, receiptText } from "../../emails/receipt";
import { ReminderEmail, reminderSubject, reminderText } from "../../emails/reminder";
import { StaffNoticeEmail, staffNoticeText, type StaffNotice } from "../../emails/staff-notice";
import { ThankYouEmail, thankYouSubject, thankYouText } from "../../emails/thank-you";
import type { VisitEmailData } from "../../emails/types";
import { buildIcs, icsUid } from "../lib/ics.server";
import type { Tx } from "../db.server";
import { enqueueEmail } from "../email/outbox.server";
import { env } from "../env.server";
import { formatDate, formatTimeRange } from "../lib/dates";
import { TIME_SLOT_LABELS, VISIT_KIND_LABELS, VISIT_MODE_LABELS } from "../lib/labels";
import { getSettings, windowContactOf } from "../settings.server";
import { isConfirmed, isPublic, waitingOn } from "./lifecycle";

export type VisitEmailTemplate = "receipt" | "confirmed" | "changed" | "cancelled" | "declined" | "reminder";

type Template = {
  subject: (d: VisitEmailData) => string;
  Html: (p: { data: VisitEmailData }) => ReactElement;
  text: (d: VisitEmailData) => string;
};

const TEMPLATES: Record<VisitEmailTemplate, Template> = {
  receipt: { subject: receiptSubject, Html: ReceiptEmail, text: receiptText },
  confirmed: { subject: confirmedSubject, Html: ConfirmedEmail, text: confirmedText },
  changed: { subject: changedSubject, Html: ChangedEmail, text: changedText },
  cancelled: { subject: cancelledSubject, Html: CancelledEmail, text: cancelledText },
  declined: { subject: declinedSubject, Html: DeclinedEmail, text: declinedText },
  reminder: { subject: reminderSubject, Html: ReminderEmail, text: reminderText },
};

export function statusUrl(token: string): string {
  return `${env().APP_URL}/request/status/${token}`;
}

function html(element: ReactElement): string {
  return `<!DOCTYPE html>${renderToStaticMarkup(element)}`;
}

/** Everything a visit email shows, read inside the transaction. */
export function visitEmailData(tx: Tx, visitId: number) {
  const row = tx
    .select({ visit: visits, request: visitRequests, venue: venues })
    .from(visits)
    .innerJoin(visitRequests, eq(visitRequests.id, visits.requestId))
    .leftJoin(venues, eq(venues.id, visits.venueId))
    .where(eq(visits.id, visitId))
    .get();
  if (!row) return null;
  const { visit, request, venue } = row;
  const preferred = [
    [request.preferredDate1, request.preferredSlot1],
    [request.preferredDate2, request.preferredSlot2],
    [request.preferredDate3, request.preferredSlot3],
  ]
    .filter(([d]) => d)
    .map(([d, s]) => `${formatDate(d)} ${s ? TIME_SLOT_LABELS[s as keyof typeof TIME_SLOT_LABELS] : ""}`.trim());
  const when = visit.startsAt ? formatTimeRange(visit.startsAt, visit.endsAt) : visit.date ? formatDate(visit.date) : null;
  const place = venue ? [venue.name, venue.address].filter(Boolean).join("（") + (venue.address ? "）" : "") : null;
  const settings = getSettings(tx);
  const data: VisitEmailData = {
    organisationName: request.organisationName,
    contactName: request.contactName,
    receiptNo: request.receiptNo,
    statusUrl: statusUrl(request.statusToken),
    expectedApplicants: visit.expectedApplicants ?? request.expectedApplicants,
    venueText: request.venueText,
    preferred,
    when,
    place,
    mode: visit.mode,
    reason: visit.statusReason ?? request.cancelReason,
    cancelCutoffDays: settings.cancelCutoffDays,
    senderName: env().MAIL_FROM.replace(/\s*<.*>$/, ""),
    window: windowContactOf(settings),
  };
  return { data, visit, request, venue };
}

/** The sender of the emails as the events' ORGANIZER ("名前 <address>" in MAIL_FROM). */
function organizer(): { name: string; email: string } {
  const from = env().MAIL_FROM;
  const m = /^\s*(.*?)\s*<([^>]+)>\s*$/.exec(from);
  return m ? { name: m[1].replace(/^"|"$/g, "") || m[2], email: m[2] } : { name: from, email: from };
}

/**
 * The visit as a one-event calendar file (emails and the status page). The
 * UID stays the same for the life of the visit and SEQUENCE follows its
 * version, so a calendar app replaces the copy it has; `cancel` withdraws it
 * (METHOD:CANCEL, STATUS:CANCELLED).
 */
export function visitIcs(input: {
  visitId: number;
  title: string;
  startsAt: string;
  endsAt: string;
  place: string | null;
  statusUrl: string;
  version: number;
  updatedAt: string;
  cancel?: boolean;
}): string {
  return buildIcs(
    [
      {
        uid: icsUid("visit", input.visitId),
        title: input.title,
        startsAt: input.startsAt,
        endsAt: input.endsAt,
        location: input.place,
        description: `状況の確認: ${input.statusUrl}`,
        url: input.statusUrl,
        status: input.cancel ? "CANCELLED" : "CONFIRMED",
        sequence: input.version,
        lastModified: input.updatedAt,
      },
    ],
    { method: input.cancel ? "CANCEL" : "PUBLISH", organizer: organizer() },
  );
}

/** Which emails carry the event: the new or moved visit, or its withdrawal. */
const ICS_METHOD: Partial<Record<VisitEmailTemplate, "PUBLISH" | "CANCEL">> = {
  confirmed: "PUBLISH",
  changed: "PUBLISH",
  cancelled: "CANCEL",
  declined: "CANCEL",
};

export function queueVisitEmail(tx: Tx, template: VisitEmailTemplate, visitId: number): number | null {
  const found = visitEmailData(tx, visitId);
  if (!found) return null;
  const { data, visit } = found;
  const t = TEMPLATES[template];
  const method = ICS_METHOD[template];
  const attachments =
    method && visit.startsAt && visit.endsAt
      ? [
          {
            filename: "visit.ics",
            contentType: `text/calendar; charset=utf-8; method=${method}`,
            content: Buffer.from(
              visitIcs({
                visitId,
                title: `出張申請窓口（${data.organisationName}）`,
                startsAt: visit.startsAt,
                endsAt: visit.endsAt,
                place: data.place ?? data.venueText,
                statusUrl: data.statusUrl,
                version: visit.version,
                updatedAt: visit.updatedAt,
                cancel: method === "CANCEL",
              }),
              "utf8",
            ).toString("base64"),
          },
        ]
      : undefined;
  return enqueueEmail(tx, {
    to: found.request.email,
    subject: t.subject(data),
    template,
    html: html(createElement(t.Html, { data })),
    text: t.text(data),
    attachments,
    related: { entity: "visit", id: visitId },
  });
}

/**
 * Thank the organisation after its visit (お礼): to the organisation's primary
 * contact (the request's contact when the primary one has no email address).
 * Queued once, by app/visits/results.server.ts when the results are first
 * recorded. Null: nobody to write to.
 */
export function queueThankYouEmail(tx: Tx, visitId: number, applications: number): number | null {
  const found = visitEmailData(tx, visitId);
  if (!found) return null;
  const primary = found.visit.organisationId
    ? tx
        .select({ name: contacts.name, email: contacts.email })
        .from(organisationContacts)
        .innerJoin(contacts, eq(contacts.id, organisationContacts.contactId))
        .where(and(eq(organisationContacts.organisationId, found.visit.organisationId), eq(organisationContacts.isPrimary, true)))
        .get()
    : undefined;
  const to = primary?.email ? { name: primary.name, email: primary.email } : { name: found.request.contactName, email: found.request.email };
  if (!to.email) return null;
  const data = { ...found.data, contactName: to.name, applications };
  return enqueueEmail(tx, {
    to: to.email,
    subject: thankYouSubject(data),
    template: "thank-you",
    html: html(createElement(ThankYouEmail, { data })),
    text: thankYouText(data),
    related: { entity: "visit", id: visitId },
  });
}

/** A short notice to staff members, queued in the caller's transaction. */
export function queueStaffNotice(tx: Tx, to: string[], notice: StaffNotice, related?: { entity: string; id: number }) {
  for (const address of new Set(to)) {
    enqueueEmail(tx, {
      to: address,
      subject: notice.title,
      template: "staff-notice",
      html: html(createElement(StaffNoticeEmail, { notice })),
      text: staffNoticeText(notice),
      related,
    });
  }
}

/**
 * Tell staff that an organisation cancelled on its status page: the visit's
 * owner, or every manager when it has none. Called by the lifecycle inside the
 * cancelling transaction.
 */
export function queueOrganisationCancelNotice(
  tx: Tx,
  after: { id: number; ownerId: number | null; requestId: number | null },
  before: { startsAt: string | null; endsAt: string | null; date: string | null; holdStartsAt: string | null },
  reason: string | null,
) {
  const request = after.requestId ? tx.select().from(visitRequests).where(eq(visitRequests.id, after.requestId)).get() : undefined;
  if (!request) return;
  const owner = after.ownerId ? tx.select({ email: users.email, active: users.active }).from(users).where(eq(users.id, after.ownerId)).get() : undefined;
  const recipients =
    owner && owner.active
      ? [owner.email]
      : tx
          .select({ email: users.email })
          .from(users)
          .where(and(eq(users.role, "manager"), eq(users.active, true)))
          .all()
          .map((u) => u.email);
  queueStaffNotice(
    tx,
    recipients,
    {
      title: `【取消】${request.organisationName}（${request.receiptNo}）が申込を取り消しました`,
      lines: [
        `団体: ${request.organisationName}`,
        `受付番号: ${request.receiptNo}`,
        `訪問予定: ${before.startsAt ? formatTimeRange(before.startsAt, before.endsAt) : before.date ? formatDate(before.date) : "日程未定"}`,
        `取消の理由: ${reason || "（記入なし）"}`,
        before.holdStartsAt ? "ラッピングカーの確保は解除しました。" : "",
      ].filter(Boolean),
      link: `${env().APP_URL}/staff/visits/${after.id}`,
    },
    { entity: "visit", id: after.id },
  );
}

/**
 * Tell every active city official that a confirmed visit's head-count was
 * corrected within the share that needs no new decision (the city still
 * knows what it approved). Called inside the editing transaction.
 */
export function queueCityCorrectionNotice(tx: Tx, visit: { id: number; title: string; date: string | null; startsAt: string | null; endsAt: string | null }, change: { before: number | null; after: number | null }) {
  const officials = cityOfficials(tx);
  queueStaffNotice(
    tx,
    officials,
    {
      title: `【人数の変更】承認済の訪問「${visit.title}」の申請予定人数が変わりました`,
      lines: [
        `訪問: ${visit.title}`,
        `日時: ${visit.startsAt ? formatTimeRange(visit.startsAt, visit.endsAt) : formatDate(visit.date)}`,
        `申請予定人数: ${change.before ?? "—"}人 → ${change.after ?? "—"}人`,
        "承認時からの変更が小さいため、再承認は不要です（お知らせのみ）。",
      ],
      link: `${env().APP_URL}/city/visits/${visit.id}`,
    },
    { entity: "visit", id: visit.id },
  );
}

/** Every active city official's address. */
function cityOfficials(tx: Tx): string[] {
  return tx
    .select({ email: users.email })
    .from(users)
    .where(and(eq(users.role, "city"), eq(users.active, true)))
    .all()
    .map((u) => u.email);
}

/**
 * Tell every active city official that a visit or session was cancelled
 * (template emails/city-cancelled.tsx). Roaming and base sessions always: the
 * city agrees them and residents may have seen them. A group visit only once
 * the city has seen it (waiting on its decision, decided, or confirmed); before that it is
 * the contractor's business. Called inside the cancelling transaction with the
 * visit as it was before.
 */
export function queueCityCancelNotice(
  tx: Tx,
  before: { id: number; kind: VisitKind; status: VisitStatus; mode: VisitMode; title: string; date: string | null; startsAt: string | null; endsAt: string | null; venueId: number | null; organisationId: number | null },
  cancel: { reason: string | null; userId: number | null; byOrganisation: boolean },
): number {
  if (before.kind === "group") {
    const cityHasSeen = isConfirmed(before.status) || waitingOn(before.status) === "city" || !!tx.select({ id: approvals.id }).from(approvals).where(eq(approvals.visitId, before.id)).get();
    if (!cityHasSeen) return 0;
  }
  const venue = before.venueId ? tx.select({ name: venues.name, address: venues.address }).from(venues).where(eq(venues.id, before.venueId)).get() : undefined;
  const organisation = before.organisationId ? tx.select({ name: organisations.name }).from(organisations).where(eq(organisations.id, before.organisationId)).get() : undefined;
  const by = cancel.userId ? tx.select({ name: users.name }).from(users).where(eq(users.id, cancel.userId)).get() : undefined;
  const base = env().APP_URL;
  const data = {
    kindLabel: VISIT_KIND_LABELS[before.kind],
    name: organisation?.name ?? before.title,
    when: before.startsAt ? formatTimeRange(before.startsAt, before.endsAt) : before.date ? formatDate(before.date) : null,
    place: venue ? [venue.name, venue.address].filter(Boolean).join(" ") : null,
    mode: VISIT_MODE_LABELS[before.mode],
    reason: cancel.reason,
    cancelledBy: cancel.byOrganisation ? "申込団体（状況確認ページから）" : `受託者${by ? `（${by.name}）` : ""}`,
    wasPublic: isPublic(before.kind, before.status),
    link: before.kind === "group" ? `${base}/city/visits/${before.id}` : `${base}/city/schedule${before.date ? `?month=${before.date.slice(0, 7)}` : ""}`,
    senderName: env().MAIL_FROM.replace(/\s*<.*>$/, ""),
  };
  const officials = [...new Set(cityOfficials(tx))];
  for (const to of officials) {
    enqueueEmail(tx, {
      to,
      subject: cityCancelledSubject(data),
      template: "city-cancelled",
      html: html(createElement(CityCancelledEmail, { data })),
      text: cityCancelledText(data),
      related: { entity: "visit", id: before.id },
    });
  }
  return officials.length;
}
