/**
 * Report versions (docs/decisions/010): a draft keeps the manager's remarks;
 * submitting freezes the body as built from the results at that moment; a
 * correction of the results afterwards is submitted as a new version that
 * says what changed; the city acknowledges submitted versions. A trigger
 * (migration 0007) refuses any change to a submitted version but its
 * acknowledgement.
 */
import { and, desc, eq, ne } from "drizzle-orm";
import { reports, users } from "../../db/schema";
import { audit } from "../audit.server";
import type { SessionUser } from "../auth.server";
import { getDb, type Db, type Tx } from "../db.server";
import { freeText } from "../lib/validation";
import { refusable, type Refusal } from "../visits/common.server";
import { buildReport, type BuiltReport } from "./build.server";
import { existingPhotoIds, type ProgramInfo } from "./data.server";
import type { ReportKind } from "./deadlines";
import { describeChanges, sameFigures } from "./diff";
import type { ReportBody } from "./types";

export type VersionRow = typeof reports.$inferSelect & { body: ReportBody | null };
export type VersionView = VersionRow & { submittedByName: string | null; acknowledgedByName: string | null };

export const remarksSchema = freeText(2000, { multiline: true });

/** The rows of one period (the completion report has one period per program, whatever its start). */
function periodWhere(programId: number, kind: ReportKind, periodStart: string) {
  return kind === "completion"
    ? and(eq(reports.programId, programId), eq(reports.kind, kind))
    : and(eq(reports.programId, programId), eq(reports.kind, kind), eq(reports.periodStart, periodStart));
}

/** Every version of a period, newest first, drafts included, with who submitted and acknowledged. */
export function versionsOf(programId: number, kind: ReportKind, periodStart: string, db: Db | Tx = getDb()): VersionView[] {
  const rows = db.select().from(reports).where(periodWhere(programId, kind, periodStart)).orderBy(desc(reports.version)).all() as VersionRow[];
  const ids = [...new Set(rows.flatMap((r) => [r.submittedById, r.acknowledgedById]).filter((x): x is number => x != null))];
  const names = new Map(
    ids.length
      ? db
          .select({ id: users.id, name: users.name })
          .from(users)
          .all()
          .filter((u) => ids.includes(u.id))
          .map((u) => [u.id, u.name])
      : []
  );
  return rows.map((r) => ({
    ...r,
    submittedByName: r.submittedById ? names.get(r.submittedById) ?? null : null,
    acknowledgedByName: r.acknowledgedById ? names.get(r.acknowledgedById) ?? null : null,
  }));
}

/** Whether a frozen body still matches the results (photos deleted by retention since do not count as a change). */
export function stillMatches(frozen: ReportBody, live: ReportBody, db: Db | Tx = getDb()): boolean {
  const ids = frozen.kind === "daily" ? frozen.sessions.flatMap((s) => s.photos.map((p) => p.id)) : [];
  const existing = ids.length ? existingPhotoIds(ids, db) : new Set<number>();
  return sameFigures(frozen, live, (id) => existing.has(id));
}

type Input = { program: ProgramInfo; kind: ReportKind; key: string; remarks: string; user: SessionUser; now?: Date };

function parseRemarks(raw: string): { ok: true; value: string | null } | Refusal {
  const r = remarksSchema.safeParse(raw);
  if (!r.success) return { ok: false, message: `備考: ${r.error.issues[0].message}`, field: "remarks" };
  return { ok: true, value: r.data || null };
}

export const NOT_A_PERIOD = "この報告書の対象期間が見つかりません。報告書の一覧から選び直してください。";

/** Keep the manager's remarks as a draft of the next version (nothing is frozen). */
export function saveDraft(input: Input, db: Db = getDb()): { ok: true } | Refusal {
  const remarks = parseRemarks(input.remarks);
  if (!remarks.ok) return remarks;
  const now = input.now ?? new Date();
  return refusable((tx) => {
    const built = buildReport(input.program, input.kind, input.key, now, tx);
    if (!built) return { ok: false, message: NOT_A_PERIOD };
    const versions = versionsOf(input.program.id, input.kind, built.periodStart, tx);
    const draft = versions.find((v) => v.status === "draft");
    if (draft) {
      tx.update(reports)
        .set({ remarks: remarks.value, dueAt: built.deadline.dueAt, periodEnd: built.periodEnd, updatedAt: now.toISOString() })
        .where(eq(reports.id, draft.id))
        .run();
    } else {
      tx.insert(reports)
        .values({
          programId: input.program.id,
          kind: input.kind,
          periodStart: built.periodStart,
          periodEnd: built.periodEnd,
          dueAt: built.deadline.dueAt,
          version: (versions[0]?.version ?? 0) + 1,
          status: "draft",
          remarks: remarks.value,
          createdById: input.user.id,
          createdAt: now.toISOString(),
          updatedAt: now.toISOString(),
        })
        .run();
    }
    return { ok: true as const };
  }, db);
}

/**
 * Submit the report as it stands: the body is built again inside the
 * transaction and frozen with the remarks. A later version records what
 * changed against the one before; submitting the same figures and remarks
 * again is refused.
 */
export function submitReport(input: Input, db: Db = getDb()): { ok: true; version: number; changes: string[]; built: BuiltReport } | Refusal {
  const remarks = parseRemarks(input.remarks);
  if (!remarks.ok) return remarks;
  const now = input.now ?? new Date();
  return refusable((tx) => {
    const built = buildReport(input.program, input.kind, input.key, now, tx);
    if (!built) return { ok: false, message: NOT_A_PERIOD };
    if (built.notReady) return { ok: false, message: built.notReady };
    const versions = versionsOf(input.program.id, input.kind, built.periodStart, tx);
    const draft = versions.find((v) => v.status === "draft");
    const latest = versions.find((v) => v.status !== "draft");
    let changes: string[] = [];
    if (latest?.body) {
      const same = stillMatches(latest.body, built.body, tx);
      const remarksChanged = (latest.remarks ?? null) !== remarks.value;
      if (same && !remarksChanged) return { ok: false, message: `第${latest.version}版から実績も備考も変わっていません。訂正がある場合は、実績を訂正してから提出してください。` };
      changes = same ? [] : describeChanges(latest.body, built.body);
      if (remarksChanged) changes.push("備考を変更");
    }
    const values = {
      status: "submitted" as const,
      body: built.body,
      remarks: remarks.value,
      changeSummary: latest ? changes.join("\n") : null,
      dueAt: built.deadline.dueAt,
      periodEnd: built.periodEnd,
      submittedAt: now.toISOString(),
      submittedById: input.user.id,
      updatedAt: now.toISOString(),
    };
    let id: number;
    let version: number;
    if (draft) {
      tx.update(reports).set(values).where(eq(reports.id, draft.id)).run();
      id = draft.id;
      version = draft.version;
    } else {
      version = (versions[0]?.version ?? 0) + 1;
      id = tx
        .insert(reports)
        .values({ ...values, programId: input.program.id, kind: input.kind, periodStart: built.periodStart, version, createdById: input.user.id, createdAt: now.toISOString() })
        .returning({ id: reports.id })
        .get().id;
    }
    audit(
      {
        userId: input.user.id,
        action: "report.submitted",
        entity: "report",
        entityId: id,
        detail: { kind: input.kind, period: built.periodStart, version, changes: changes.length },
      },
      tx
    );
    return { ok: true as const, version, changes, built };
  }, db);
}

/** The city acknowledges a submitted version (once). */
export function acknowledgeReport(input: { reportId: number; user: SessionUser; now?: Date }, db: Db = getDb()): { ok: true; version: number } | Refusal | null {
  const now = input.now ?? new Date();
  const result = refusable((tx) => {
    const row = tx
      .select()
      .from(reports)
      .where(and(eq(reports.id, input.reportId), ne(reports.status, "draft")))
      .get();
    if (!row) return { ok: false, message: "NOT_FOUND" };
    if (row.status === "acknowledged") return { ok: false, message: `第${row.version}版は既に確認済みです。` };
    tx.update(reports)
      .set({ status: "acknowledged", acknowledgedAt: now.toISOString(), acknowledgedById: input.user.id, updatedAt: now.toISOString() })
      .where(eq(reports.id, row.id))
      .run();
    audit(
      { userId: input.user.id, action: "report.acknowledged", entity: "report", entityId: row.id, detail: { kind: row.kind, period: row.periodStart, version: row.version } },
      tx
    );
    return { ok: true as const, version: row.version };
  }, db);
  if (!result.ok && result.message === "NOT_FOUND") return null;
  return result;
}
