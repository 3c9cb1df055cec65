import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data as withStatus, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { requirePermission } from "~/auth.server";
import { EmptyState, Notice, PageHeader } from "~/components/ui";
import { MERGE_FIELDS, type MergeField } from "~/crm/merge-fields";
import { mergeCandidates, mergeOrganisations, mergePreview } from "~/crm/merge.server";
import { listDistrictOptions, listStaffOptions } from "~/crm/organisations.server";
import { formatDate } from "~/lib/dates";
import { notFound, requireId } from "~/lib/ids";
import { ORGANISATION_KIND_LABELS, STAGE_LABELS } from "~/lib/labels";
import { recordExists } from "~/lib/records.server";
import type { OrganisationKind, Stage } from "../../db/schema";

export const meta: MetaFunction = () => [{ title: "重複を統合 | 出張申請窓口" }];

const ORGANISATION_NOT_FOUND = "団体が見つかりません。一覧から選び直してください。";

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requirePermission(request, "crm.merge");
  const id = requireId(params.id, ORGANISATION_NOT_FOUND);
  if (!recordExists("organisation", id)) throw notFound(ORGANISATION_NOT_FOUND);
  const url = new URL(request.url);
  const withParam = url.searchParams.get("with");
  const withId = withParam ? requireId(withParam, ORGANISATION_NOT_FOUND) : null;
  const q = url.searchParams.get("q") ?? "";
  const self = withId ? mergePreview(id, withId) : null;
  if (withId && !self) throw notFound(ORGANISATION_NOT_FOUND);
  return {
    id,
    q,
    candidates: withId ? [] : mergeCandidates(id, q),
    preview: self,
    districts: listDistrictOptions(),
    staff: listStaffOptions(),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requirePermission(request, "crm.merge");
  const form = await request.formData();
  const survivorId = requireId(params.id, ORGANISATION_NOT_FOUND);
  const loserId = requireId(form.get("loserId"), ORGANISATION_NOT_FOUND);
  if (!recordExists("organisation", survivorId) || !recordExists("organisation", loserId)) throw notFound(ORGANISATION_NOT_FOUND);
  if (form.get("confirm") !== "yes") return withStatus({ error: "「統合すると元に戻せないことを確認しました」にチェックを入れてください。" }, { status: 400 });
  const take: Partial<Record<MergeField, "survivor" | "loser">> = {};
  for (const f of Object.keys(MERGE_FIELDS) as MergeField[]) take[f] = form.get(`take.${f}`) === "loser" ? "loser" : "survivor";
  const r = mergeOrganisations({ survivorId, loserId, take, userId: user.id });
  if (!r.ok) return withStatus({ error: r.message }, { status: 400 });
  throw redirect(`/staff/organisations/${survivorId}`);
}

export default function MergeOrganisations() {
  const d = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as { error?: string } | undefined;
  const navigation = useNavigation();
  const show = (field: MergeField, o: Record<string, unknown>): string => {
    const v = o[field];
    if (v == null || v === "") return "—";
    if (field === "kind") return ORGANISATION_KIND_LABELS[v as OrganisationKind];
    if (field === "stage") return STAGE_LABELS[v as Stage];
    if (field === "districtId") return d.districts.find((x) => x.id === v)?.name ?? String(v);
    if (field === "ownerId") return d.staff.find((x) => x.id === v)?.name ?? String(v);
    if (field === "nextActionOn") return `${formatDate(String(v))} ${o.nextActionNote ?? ""}`;
    return String(v);
  };
  if (!d.preview) {
    return (
      <div className="page page--narrow">
        <PageHeader title="重複を統合">
          <Link className="button button--secondary" to={`/staff/organisations/${d.id}`}>
            団体へ戻る
          </Link>
        </PageHeader>
        <p>この団体（ID {d.id}）に統合する、重複している団体を選んでください。選んだ団体の履歴・担当者・申込・訪問・タスクはこの団体に移ります。</p>
        <Form method="get" className="row" role="search">
          <label htmlFor="merge-q">団体名で探す</label>
          <input id="merge-q" type="search" name="q" defaultValue={d.q} />
          <button className="button button--secondary">検索</button>
        </Form>
        {d.candidates.length === 0 ? (
          <EmptyState>{d.q ? "該当する団体はありません。" : "名前または電話番号が同じ団体は見つかりませんでした。名前で探してください。"}</EmptyState>
        ) : (
          <ul className="plain-list">
            {d.candidates.map((c) => (
              <li key={c.id}>
                <Link to={`?with=${c.id}`}>{c.name}</Link> <span className="muted small">{c.phone ?? ""} {c.address ?? ""}</span>
              </li>
            ))}
          </ul>
        )}
      </div>
    );
  }
  const { survivor, loser, moves } = d.preview;
  return (
    <div className="page">
      <PageHeader title="重複を統合（確認）">
        <Link className="button button--secondary" to={`/staff/organisations/${loser.id}/merge?with=${survivor.id}`}>
          残す団体を入れ替える
        </Link>
      </PageHeader>
      {result?.error ? <Notice tone="error">{result.error}</Notice> : null}
      <p>
        <strong>{loser.name}</strong>（ID {loser.id}）を <strong>{survivor.name}</strong>（ID {survivor.id}）に統合します。項目ごとに残す値を選んでください。
      </p>
      <Form method="post">
        <input type="hidden" name="loserId" value={loser.id} />
        <div className="table-wrap" role="region" aria-label="項目ごとに残す値" tabIndex={0}>
          <table>
            <caption className="visually-hidden">項目ごとに残す値</caption>
            <thead>
              <tr>
                <th scope="col">項目</th>
                <th scope="col">残す団体（ID {survivor.id}）</th>
                <th scope="col">統合される団体（ID {loser.id}）</th>
              </tr>
            </thead>
            <tbody>
              {(Object.keys(MERGE_FIELDS) as MergeField[]).map((f) => {
                const a = show(f, survivor);
                const b = show(f, loser);
                const preferLoser = a === "—" && b !== "—";
                return (
                  <tr key={f}>
                    <th scope="row">{MERGE_FIELDS[f]}</th>
                    <td>
                      <label className="choice">
                        <input type="radio" name={`take.${f}`} value="survivor" defaultChecked={!preferLoser} /> {a}
                      </label>
                    </td>
                    <td>
                      <label className="choice">
                        <input type="radio" name={`take.${f}`} value="loser" defaultChecked={preferLoser} /> {b}
                      </label>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
        <Notice tone="warn" title="移るもの">
          <p>
            履歴 {moves.activities}件・担当者 {moves.contacts}人・申込 {moves.requests}件・訪問 {moves.visits}件・タスク {moves.tasks}件が「{survivor.name}」に移ります。
            「{loser.name}」は一覧から消え、統合先への案内だけが残ります。
          </p>
        </Notice>
        <label className="choice">
          <input type="checkbox" name="confirm" value="yes" /> 統合すると元に戻せないことを確認しました
        </label>
        <div className="row">
          <button className="button button--danger" aria-disabled={navigation.state === "submitting" || undefined}>
            統合する
          </button>
          <Link className="button button--secondary" to={`/staff/organisations/${survivor.id}`}>
            やめる
          </Link>
        </div>
      </Form>
    </div>
  );
}
