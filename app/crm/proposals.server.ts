/**
 * Proposals from anonymous public requests (申込からの変更提案).
 *
 * Anyone can send the public form, so a request that matches an organisation
 * already in the CRM may not change that organisation: not its details, not
 * its contacts, not its stage. The sender creates only their own request and
 * group visit (linked to the organisation). What the request would change is
 * recorded as a proposal; staff apply it (確認して反映) or decline it
 * (反映しない) on the organisation's page. The changes are worked out afresh
 * from the request whenever they are shown or applied, so a proposal never
 * overwrites what staff entered in the meantime.
 */
import { and, desc, eq, or, sql } from "drizzle-orm";
import {
  contacts,
  crmProposals,
  organisationContacts,
  organisations,
  visitRequests,
  visits,
  type Stage,
  type VisitStatus,
} from "../../db/schema";
import { audit } from "../audit.server";
import { getDb, writeTransaction, type Db, type Tx } from "../db.server";
import { digitsOnly } from "../lib/normalise";
import { STAGE_LABELS } from "../lib/labels";
import { followVisitStatus, logActivity } from "./activities.server";
import { stageForVisitStatus } from "./stages";

/** The sender of a request, as a contact of the organisation. */
export type RequestContact = { name: string; phone: string; email: string };

/** Details a request may fill in: only where the CRM has nothing (the head-count: when it differs). */
const FILLABLE = {
  postalCode: "郵便番号",
  address: "所在地",
  phone: "電話番号",
  email: "メールアドレス",
  expectedApplicants: "申請見込み人数",
} as const;
type Fillable = keyof typeof FILLABLE;

export type ProposedChanges = {
  fields: { field: Fillable; label: string; from: string | number | null; to: string | number }[];
  contact: RequestContact | null;
  stage: { from: Stage; to: Stage } | null;
};

type Org = typeof organisations.$inferSelect;
type Req = typeof visitRequests.$inferSelect;

function knownContact(tx: Db | Tx, organisationId: number, c: RequestContact) {
  return tx
    .select({ id: contacts.id })
    .from(contacts)
    .innerJoin(organisationContacts, eq(organisationContacts.contactId, contacts.id))
    .where(and(eq(organisationContacts.organisationId, organisationId), or(sql`lower(${contacts.email}) = ${c.email.toLowerCase()}`, eq(contacts.name, c.name))))
    .get();
}

/** Record the sender as a contact of the organisation unless already there (same email or name). */
export function addRequestContact(tx: Tx, organisationId: number, c: RequestContact): boolean {
  if (knownContact(tx, organisationId, c)) return false;
  const hasPrimary = tx
    .select({ n: sql<number>`count(*)` })
    .from(organisationContacts)
    .where(and(eq(organisationContacts.organisationId, organisationId), eq(organisationContacts.isPrimary, true)))
    .get();
  const contact = tx.insert(contacts).values({ name: c.name, phone: c.phone, email: c.email, notes: "Webフォームの申込担当者" }).returning({ id: contacts.id }).get();
  tx.insert(organisationContacts).values({ organisationId, contactId: contact.id, role: "申込担当者", isPrimary: !hasPrimary?.n }).run();
  return true;
}

/** What the request would change on the organisation now. */
function changesFor(db: Db | Tx, org: Org, req: Req, visitStatus: VisitStatus | null): ProposedChanges {
  const fields: ProposedChanges["fields"] = [];
  for (const field of ["postalCode", "address", "phone", "email"] as const) {
    const to = req[field];
    if (to && !org[field]) fields.push({ field, label: FILLABLE[field], from: null, to });
  }
  if (req.expectedApplicants !== org.expectedApplicants) {
    fields.push({ field: "expectedApplicants", label: FILLABLE.expectedApplicants, from: org.expectedApplicants, to: req.expectedApplicants });
  }
  const sender = { name: req.contactName, phone: req.phone, email: req.email };
  const contact = knownContact(db, org.id, sender) ? null : sender;
  // The stage the request's visit puts the organisation in, unless the visit has ended without taking place.
  const to = visitStatus && visitStatus !== "declined" && visitStatus !== "cancelled" ? stageForVisitStatus(visitStatus) : null;
  const stage = to && to !== org.stage ? { from: org.stage, to } : null;
  return { fields, contact, stage };
}

const isEmpty = (c: ProposedChanges) => c.fields.length === 0 && !c.contact && !c.stage;

/**
 * Record a proposal for a request that matched an existing organisation
 * (inside the request's transaction). Nothing is recorded when the request
 * would change nothing.
 */
export function recordProposal(tx: Tx, input: { organisationId: number; requestId: number; visitId: number; nowIso: string }): number | null {
  const org = tx.select().from(organisations).where(eq(organisations.id, input.organisationId)).get();
  const req = tx.select().from(visitRequests).where(eq(visitRequests.id, input.requestId)).get();
  const visit = tx.select({ status: visits.status }).from(visits).where(eq(visits.id, input.visitId)).get();
  if (!org || !req) return null;
  if (isEmpty(changesFor(tx, org, req, visit?.status ?? null))) return null;
  return tx.insert(crmProposals).values({ organisationId: org.id, requestId: req.id, visitId: input.visitId, createdAt: input.nowIso }).returning({ id: crmProposals.id }).get().id;
}

/** Pending proposals of an organisation with the changes they would make now (for its page). */
export function listPendingProposals(organisationId: number, db: Db = getDb()) {
  const rows = db
    .select({ p: crmProposals, receiptNo: visitRequests.receiptNo, visitStatus: visits.status })
    .from(crmProposals)
    .innerJoin(visitRequests, eq(visitRequests.id, crmProposals.requestId))
    .leftJoin(visits, eq(visits.id, crmProposals.visitId))
    .where(and(eq(crmProposals.organisationId, organisationId), eq(crmProposals.state, "pending")))
    .orderBy(desc(crmProposals.createdAt), desc(crmProposals.id))
    .all();
  const org = db.select().from(organisations).where(eq(organisations.id, organisationId)).get();
  if (!org) return [];
  return rows.map((r) => {
    const req = db.select().from(visitRequests).where(eq(visitRequests.id, r.p.requestId)).get()!;
    return { id: r.p.id, receiptNo: r.receiptNo, createdAt: r.p.createdAt, visitId: r.p.visitId, changes: changesFor(db, org, req, r.visitStatus ?? null) };
  });
}

/** The proposal when it belongs to this organisation (any state). */
export function proposalOf(organisationId: number, proposalId: number, db: Db = getDb()) {
  return db.select().from(crmProposals).where(and(eq(crmProposals.id, proposalId), eq(crmProposals.organisationId, organisationId))).get();
}

export type ProposalResult = { ok: true; message: string } | { ok: false; message: string };

const GONE = "この提案はすでに処理されたか、見つかりません。画面を再読み込みしてください。";

function describe(c: ProposedChanges): string[] {
  return [
    ...c.fields.map((f) => `${f.label}: ${f.from ?? "（未登録）"} → ${f.to}`),
    ...(c.contact ? [`担当者を追加: ${c.contact.name}（申込担当者）`] : []),
    ...(c.stage ? [`段階: ${STAGE_LABELS[c.stage.from]} → ${STAGE_LABELS[c.stage.to]}`] : []),
  ];
}

/** 確認して反映: apply what the request proposes, as it stands now, in one transaction. */
export function applyProposal(proposalId: number, organisationId: number, userId: number): ProposalResult {
  return writeTransaction((tx) => applyProposalInTx(tx, proposalId, organisationId, userId));
}

/** The same inside the caller's transaction (a request staff take down themselves applies at once). */
export function applyProposalInTx(tx: Tx, proposalId: number, organisationId: number, userId: number, at?: string): ProposalResult {
  {
    const p = tx.select().from(crmProposals).where(and(eq(crmProposals.id, proposalId), eq(crmProposals.organisationId, organisationId))).get();
    if (!p || p.state !== "pending") return { ok: false, message: GONE };
    const org = tx.select().from(organisations).where(eq(organisations.id, organisationId)).get();
    const req = tx.select().from(visitRequests).where(eq(visitRequests.id, p.requestId)).get();
    if (!org || !req) return { ok: false, message: GONE };
    const visit = p.visitId ? tx.select({ id: visits.id, status: visits.status }).from(visits).where(eq(visits.id, p.visitId)).get() : undefined;
    const changes = changesFor(tx, org, req, visit?.status ?? null);
    const nowIso = at ?? new Date().toISOString();
    if (changes.fields.length) {
      const set: Partial<Org> = { updatedAt: nowIso };
      for (const f of changes.fields) (set as Record<string, unknown>)[f.field] = f.to;
      if (set.phone) set.phoneKey = digitsOnly(set.phone);
      tx.update(organisations).set(set).where(eq(organisations.id, organisationId)).run();
    }
    if (changes.contact) addRequestContact(tx, organisationId, changes.contact);
    if (changes.stage && visit) followVisitStatus(tx, { organisationId, status: visit.status, userId, visitId: visit.id, at: nowIso });
    tx.update(crmProposals).set({ state: "applied", decidedAt: nowIso, decidedById: userId }).where(eq(crmProposals.id, p.id)).run();
    const lines = describe(changes);
    logActivity(tx, {
      organisationId,
      kind: "note",
      summary: `申込（受付番号 ${req.receiptNo}）の内容を反映`,
      body: lines.length ? lines.join("\n") : "反映する変更はありませんでした。",
      requestId: req.id,
      visitId: p.visitId,
      userId,
      occurredAt: nowIso,
    });
    audit({ userId, action: "crm.proposal_apply", entity: "organisation", entityId: organisationId, detail: { proposalId: p.id, requestId: req.id, changes: lines } }, tx);
    return { ok: true, message: lines.length ? "申込の内容を団体に反映しました。" : "反映する変更はありませんでした（提案は処理済みにしました）。" };
  }
}

/** 反映しない: leave the organisation as it is; the request and its visit stay. */
export function dismissProposal(proposalId: number, organisationId: number, userId: number): ProposalResult {
  return writeTransaction((tx): ProposalResult => {
    const p = tx.select().from(crmProposals).where(and(eq(crmProposals.id, proposalId), eq(crmProposals.organisationId, organisationId))).get();
    if (!p || p.state !== "pending") return { ok: false, message: GONE };
    const req = tx.select({ receiptNo: visitRequests.receiptNo }).from(visitRequests).where(eq(visitRequests.id, p.requestId)).get();
    const nowIso = new Date().toISOString();
    tx.update(crmProposals).set({ state: "dismissed", decidedAt: nowIso, decidedById: userId }).where(eq(crmProposals.id, p.id)).run();
    logActivity(tx, {
      organisationId,
      kind: "note",
      summary: `申込（受付番号 ${req?.receiptNo ?? "—"}）の内容は反映しない`,
      requestId: p.requestId,
      visitId: p.visitId,
      userId,
      occurredAt: nowIso,
    });
    audit({ userId, action: "crm.proposal_dismiss", entity: "organisation", entityId: organisationId, detail: { proposalId: p.id, requestId: p.requestId } }, tx);
    return { ok: true, message: "団体の情報は変更せずに、提案を閉じました。" };
  });
}
