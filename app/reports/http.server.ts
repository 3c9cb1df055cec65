/**
 * What the report routes call once the permission is checked: the page's
 * data, the actions (draft remarks, submit, acknowledge) and the downloads.
 * Routes stay thin (docs/decisions/006).
 */
import type { SessionUser } from "../auth.server";
import { getDb } from "../db.server";
import { formatInstant } from "../lib/dates";
import { notFound, parseId } from "../lib/ids";
import { REPORT_STATUS_LABELS } from "./labels";
import { reportPage, type ReportPageData } from "./pages.server";
import { programFor } from "./build.server";
import { acknowledgeReport, NOT_A_PERIOD, saveDraft, submitReport } from "./store.server";
import { reportCsv } from "./csv.server";
import { reportDocument, type CopyInfo } from "./tables";
import { reportFileName } from "./titles";
import { reportXlsx } from "./xlsx.server";
import type { ReportKind } from "./deadlines";

export type ActionResult = { ok: true; message: string } | { ok: false; message: string; field?: string };

/** A refusal shown on the form; a period that does not exist is a 404. */
function refusal(r: { ok: false; message: string; field?: string }): ActionResult {
  if (r.message === NOT_A_PERIOD) throw notFound(r.message);
  return r;
}

/** The page's data, or a thrown 404 with a message that says where to go. */
export function loadReportPage(request: Request, user: SessionUser, kind: ReportKind, key: string): ReportPageData {
  const r = reportPage({ url: new URL(request.url), kind, key, user });
  if (!r.ok) throw notFound(r.message);
  return r.data;
}

export async function reportAction(
  request: Request,
  user: SessionUser,
  kind: ReportKind,
  key: string,
  intent: "save-draft" | "submit" | "acknowledge",
  form: FormData
): Promise<ActionResult> {
  const url = new URL(request.url);
  const program = programFor(url.searchParams.get("program"), getDb());
  if (!program) throw notFound("業務（program）が見つかりません。報告書の一覧から選び直してください。");
  const remarks = String(form.get("remarks") ?? "");
  if (intent === "save-draft") {
    const r = saveDraft({ program, kind, key, remarks, user });
    if (!r.ok) return refusal(r);
    return { ok: true, message: "備考を下書きとして保存しました（まだ提出していません）。" };
  }
  if (intent === "submit") {
    const r = submitReport({ program, kind, key, remarks, user });
    if (!r.ok) return refusal(r);
    return {
      ok: true,
      message:
        r.version === 1
          ? "第1版を提出しました。市の職員が確認できるようになりました。"
          : `訂正版（第${r.version}版）を提出しました。${r.changes.length ? "訂正内容を記録しました。" : ""}`,
    };
  }
  // The version acknowledged must be one of this report's: an id from another report is a 404.
  const page = reportPage({ url, kind, key, user });
  const id = parseId(form.get("reportId"));
  if (!page.ok || id == null || !page.data.versions.some((v) => v.id === id)) throw notFound("確認する報告書が見つかりません。画面を再読み込みしてください。");
  const r = acknowledgeReport({ reportId: id, user });
  if (!r) throw notFound("確認する報告書が見つかりません。画面を再読み込みしてください。");
  if (!r.ok) return r;
  return { ok: true, message: `第${r.version}版を確認済みにしました。` };
}

/** The copy of a report a download writes: the version shown on the page (the city: the latest submitted one). */
export function copyInfo(data: ReportPageData, now: Date = new Date()): CopyInfo {
  const v = data.shown.source === "version" ? data.shown.version : null;
  return {
    title: data.title,
    deadlineText: data.deadlineWareki,
    versionText: v
      ? `第${v.version}版（${REPORT_STATUS_LABELS[v.status]}・${formatInstant(v.submittedAt)} ${v.submittedByName ?? ""}提出）`
      : `下書き（未提出・${formatInstant(now.toISOString())}時点の実績）`,
    remarks: v ? v.remarks : data.draftRemarks,
    changeSummary: v?.changeSummary ?? null,
    deletedPhotoIds: data.deletedPhotoIds,
  };
}

export async function reportDownload(request: Request, user: SessionUser, kind: ReportKind, key: string, ext: "xlsx" | "csv"): Promise<Response> {
  const data = loadReportPage(request, user, kind, key);
  if (!data.body) throw notFound("この報告書はまだ提出されていません。提出されると、ここからダウンロードできます。");
  const doc = reportDocument(data.body, copyInfo(data));
  const version = data.shown.source === "version" ? data.shown.version.version : null;
  const name = reportFileName(kind, key, ext, version);
  // Browsers that ignore filename* get a plain ASCII name.
  const ascii = `report-${kind}${key ? `-${key}` : ""}-${version ? `v${version}` : "draft"}.${ext}`;
  const headers = {
    "Content-Disposition": `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`,
    "Cache-Control": "no-store",
  };
  if (ext === "csv") return new Response(reportCsv(doc), { headers: { ...headers, "Content-Type": "text/csv; charset=utf-8" } });
  return new Response(new Uint8Array(await reportXlsx(doc)), { headers: { ...headers, "Content-Type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" } });
}
