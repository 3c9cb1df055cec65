/**
 * Emails to an organisation about its request/visit, queued in the outbox
 * inside the caller's transaction. (Placeholder bodies; the request issue
 * replaces them with the templates in emails/.)
 */
import { eq } from "drizzle-orm";
import { visitRequests, visits } from "../../db/schema";
import type { Tx } from "../db.server";
import { enqueueEmail } from "../email/outbox.server";
import { env } from "../env.server";

export type VisitEmailTemplate = "receipt" | "confirmed" | "changed" | "cancelled" | "declined" | "reminder";

const SUBJECTS: Record<VisitEmailTemplate, string> = {
  receipt: "出張申請のお申し込みを受け付けました",
  confirmed: "出張申請窓口の訪問日が確定しました",
  changed: "出張申請窓口の訪問内容が変更されました",
  cancelled: "出張申請窓口のお申し込みを取り消しました",
  declined: "出張申請窓口のお申し込みについて",
  reminder: "出張申請窓口の訪問日が近づいています",
};

export function queueVisitEmail(tx: Tx, template: VisitEmailTemplate, visitId: number): number | null {
  const row = tx
    .select({ visit: visits, request: visitRequests })
    .from(visits)
    .innerJoin(visitRequests, eq(visitRequests.id, visits.requestId))
    .where(eq(visits.id, visitId))
    .get();
  if (!row) return null;
  const link = `${env().APP_URL}/request/status/${row.request.statusToken}`;
  const text = `${row.request.organisationName}\n${row.request.contactName} 様\n\n${SUBJECTS[template]}。\n受付番号: ${row.request.receiptNo}\n状況の確認: ${link}\n`;
  return enqueueEmail(tx, {
    to: row.request.email,
    subject: `【${row.request.receiptNo}】${SUBJECTS[template]}`,
    template,
    html: `<pre>${text.replace(/[<>&]/g, (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;" })[c]!)}</pre>`,
    text,
    related: { entity: "visit", id: visitId },
  });
}
