/** CSV export of the organisation list (with the primary contact: personal data, so every export is audit-logged). */
import { audit } from "../audit.server";
import { getDb, type Db } from "../db.server";
import { formatInstant, todayInTokyo } from "../lib/dates";
import { ORGANISATION_KIND_LABELS, STAGE_LABELS } from "../lib/labels";
import { getSettings } from "../settings.server";
import type { OrganisationKind, Stage } from "../../db/schema";
import { phoneCell, postalCodeCell, safeCell, toCsv } from "./csv.server";
import type { OrganisationFilters } from "./filters";
import { whereFor } from "./organisations.server";
import { PRIORITY_BANDS } from "./priority";
import { priorityScoreSql, VISIT_STATS_SQL } from "./priority.server";

export const EXPORT_LIMIT = 50_000;

export function exportOrganisationsCsv(f: OrganisationFilters, user: { id: number }, ip: string | null, db: Db = getDb()) {
  const today = todayInTokyo();
  const score = priorityScoreSql(getSettings(db).priorityWeights, today);
  const { where, params } = whereFor(f, user.id, today);
  const bandWhere = f.band ? ` and ${score.expr} >= ? and ${score.expr} < ?` : "";
  const bandParams = f.band ? [...score.params, PRIORITY_BANDS[f.band].min, ...score.params, PRIORITY_BANDS[f.band].max] : [];
  const rows = db.$client
    .prepare(
      `select o.id, o.name, o.name_kana as nameKana, o.kind, d.name as districtName, o.postal_code as postalCode, o.address, o.phone, o.email,
              o.head_count as headCount, o.expected_applicants as expectedApplicants, o.stage, u.name as ownerName,
              o.next_action_on as nextActionOn, o.next_action_note as nextActionNote, o.last_activity_at as lastActivityAt,
              c.name as contactName, oc.role as contactRole, c.phone as contactPhone, c.email as contactEmail,
              round(${score.expr}) as priority
       from organisations o
       left join districts d on d.id = o.district_id
       left join (${VISIT_STATS_SQL}) vs on vs.oid = o.id
       left join users u on u.id = o.owner_id
       left join organisation_contacts oc on oc.organisation_id = o.id and oc.is_primary = 1
       left join contacts c on c.id = oc.contact_id
       where ${where}${bandWhere}
       group by o.id
       order by priority desc, o.id
       limit ${EXPORT_LIMIT}`,
    )
    .all(...score.params, ...params, ...bandParams) as Record<string, string | number | null>[];
  const headers = [
    "ID",
    "団体名",
    "よみがな",
    "種類",
    "地区",
    "郵便番号",
    "住所",
    "電話番号",
    "メール",
    "人数",
    "申請見込み",
    "段階",
    "担当",
    "次回予定日",
    "次回予定",
    "最終活動",
    "優先度",
    "主担当者",
    "主担当者の役割",
    "主担当者の電話",
    "主担当者のメール",
  ];
  const data = rows.map((r) =>
    [
      r.id,
      r.name,
      r.nameKana,
      ORGANISATION_KIND_LABELS[r.kind as OrganisationKind],
      r.districtName,
      // 〒 and, where needed, TEL keep these text in a spreadsheet (csv.server.ts explains why).
      postalCodeCell(r.postalCode as string | null),
      r.address,
      phoneCell(r.phone as string | null),
      r.email,
      r.headCount,
      r.expectedApplicants,
      STAGE_LABELS[r.stage as Stage],
      r.ownerName,
      r.nextActionOn,
      r.nextActionNote,
      formatInstant(r.lastActivityAt as string | null),
      r.priority,
      r.contactName,
      r.contactRole,
      phoneCell(r.contactPhone as string | null),
      r.contactEmail,
    ].map(safeCell),
  );
  audit({ userId: user.id, action: "crm.organisations_export", entity: "organisation", detail: { rows: data.length, filters: f }, ip }, db);
  return { csv: toCsv(headers, data), count: data.length };
}
