/** Merge two organisations (重複の統合): one transaction, the loser keeps mergedIntoId and leaves every list. */
import { and, eq, sql } from "drizzle-orm";
import { activities, crmProposals, organisationContacts, organisations, tasks, venues, visitRequests, visits } from "../../db/schema";
import { audit } from "../audit.server";
import { getDb, writeTransaction, type Db } from "../db.server";
import { digitsOnly, organisationSearchKey } from "../lib/normalise";
import { logActivity } from "./activities.server";
import { MERGE_FIELDS, type MergeField } from "./merge-fields";

export { MERGE_FIELDS, type MergeField };

type Org = typeof organisations.$inferSelect;

export function mergeCandidates(id: number, q: string, db: Db = getDb()) {
  const key = organisationSearchKey(q);
  const org = db.select().from(organisations).where(eq(organisations.id, id)).get();
  if (!org) return [];
  // Without a query: organisations sharing the search key or the phone (likely duplicates).
  const rows = db.$client
    .prepare(
      key
        ? `select id, name, phone, address from organisations where id <> ? and merged_into_id is null and (search_key like ? or name like ?) order by search_key limit 20`
        : `select id, name, phone, address from organisations where id <> ? and merged_into_id is null and (search_key = ? or (phone_key is not null and phone_key = ?)) limit 20`,
    )
    .all(...(key ? [id, `%${key}%`, `%${q}%`] : [id, org.searchKey, org.phoneKey ?? ""])) as { id: number; name: string; phone: string | null; address: string | null }[];
  return rows;
}

export function mergePreview(survivorId: number, loserId: number, db: Db = getDb()) {
  const survivor = db.select().from(organisations).where(eq(organisations.id, survivorId)).get();
  const loser = db.select().from(organisations).where(eq(organisations.id, loserId)).get();
  if (!survivor || !loser || survivorId === loserId) return null;
  const count = (table: string, column = "organisation_id") =>
    (db.$client.prepare(`select count(*) as n from ${table} where ${column} = ?`).get(loserId) as { n: number }).n;
  return {
    survivor,
    loser,
    moves: {
      activities: count("activities"),
      contacts: count("organisation_contacts"),
      requests: count("visit_requests"),
      visits: count("visits"),
      tasks: count("tasks"),
    },
  };
}

export type MergeResult = { ok: true } | { ok: false; message: string };

/**
 * Move everything of the loser onto the survivor, with the chosen values, in
 * one transaction: timeline, contacts, requests, visits, tasks, venues.
 */
export function mergeOrganisations(input: { survivorId: number; loserId: number; take: Partial<Record<MergeField, "survivor" | "loser">>; userId: number }): MergeResult {
  const { survivorId, loserId, userId } = input;
  if (survivorId === loserId) return { ok: false, message: "同じ団体どうしは統合できません。" };
  return writeTransaction((tx) => {
    const survivor = tx.select().from(organisations).where(eq(organisations.id, survivorId)).get();
    const loser = tx.select().from(organisations).where(eq(organisations.id, loserId)).get();
    if (!survivor || !loser) return { ok: false as const, message: "団体が見つかりません。画面を再読み込みしてください。" };
    if (survivor.mergedIntoId || loser.mergedIntoId) return { ok: false as const, message: "どちらかの団体はすでに統合済みです。" };

    const chosen: Partial<Org> = {};
    for (const field of Object.keys(MERGE_FIELDS) as MergeField[]) {
      if (input.take[field] !== "loser") continue;
      if (field === "stage") {
        Object.assign(chosen, {
          stage: loser.stage,
          stageChangedAt: loser.stageChangedAt,
          lostReason: loser.lostReason,
          lostAtStage: loser.lostAtStage,
        });
      } else if (field === "nextActionOn") {
        Object.assign(chosen, { nextActionOn: loser.nextActionOn, nextActionNote: loser.nextActionNote });
      } else {
        (chosen as Record<string, unknown>)[field] = loser[field];
      }
    }
    if (chosen.name !== undefined) chosen.searchKey = organisationSearchKey(chosen.name);
    if (chosen.phone !== undefined) chosen.phoneKey = chosen.phone ? digitsOnly(chosen.phone) : null;
    const lastActivityAt = [survivor.lastActivityAt, loser.lastActivityAt].filter(Boolean).sort().pop() ?? null;
    tx.update(organisations)
      .set({ ...chosen, lastActivityAt, updatedAt: new Date().toISOString() })
      .where(eq(organisations.id, survivorId))
      .run();

    tx.update(activities).set({ organisationId: survivorId }).where(eq(activities.organisationId, loserId)).run();
    tx.update(tasks).set({ organisationId: survivorId }).where(eq(tasks.organisationId, loserId)).run();
    tx.update(visitRequests).set({ organisationId: survivorId }).where(eq(visitRequests.organisationId, loserId)).run();
    tx.update(visits).set({ organisationId: survivorId }).where(eq(visits.organisationId, loserId)).run();
    tx.update(venues).set({ organisationId: survivorId }).where(eq(venues.organisationId, loserId)).run();
    tx.update(crmProposals).set({ organisationId: survivorId }).where(eq(crmProposals.organisationId, loserId)).run();
    // Contacts: a person linked to both keeps one link (the survivor's role wins).
    tx.run(sql`insert or ignore into organisation_contacts (organisation_id, contact_id, role, is_primary)
                select ${survivorId}, contact_id, role, 0 from organisation_contacts where organisation_id = ${loserId}`);
    tx.delete(organisationContacts).where(eq(organisationContacts.organisationId, loserId)).run();
    tx.update(organisations).set({ possibleDuplicateOfId: null }).where(and(eq(organisations.id, survivorId), eq(organisations.possibleDuplicateOfId, loserId))).run();
    tx.update(organisations).set({ possibleDuplicateOfId: survivorId }).where(eq(organisations.possibleDuplicateOfId, loserId)).run();
    tx.update(organisations)
      .set({ mergedIntoId: survivorId, possibleDuplicateOfId: null, nextActionOn: null, updatedAt: new Date().toISOString() })
      .where(eq(organisations.id, loserId))
      .run();
    // Anything merged into the loser before now points at the survivor.
    tx.update(organisations).set({ mergedIntoId: survivorId }).where(eq(organisations.mergedIntoId, loserId)).run();
    logActivity(tx, {
      organisationId: survivorId,
      kind: "merge",
      summary: `「${loser.name}」（ID ${loser.id}）を統合`,
      body: Object.keys(chosen).length ? `統合元から採用した項目: ${Object.keys(input.take).filter((k) => input.take[k as MergeField] === "loser").map((k) => MERGE_FIELDS[k as MergeField]).join("、")}` : null,
      userId,
    });
    audit({ userId, action: "crm.organisations_merge", entity: "organisation", entityId: survivorId, detail: { loserId } }, tx);
    return { ok: true as const };
  });
}
