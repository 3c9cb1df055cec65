import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data as withStatus } from "@remix-run/node";
import { Form, Link, useActionData, useNavigation } from "@remix-run/react";
import { requirePermission } from "~/auth.server";
import { Notice, PageHeader } from "~/components/ui";
import { importDistricts, type DistrictImportResult } from "~/crm/districts.server";

export const meta: MetaFunction = () => [{ title: "地区のCSV取込 | 出張申請窓口" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "crm.import");
  return null;
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, "crm.import");
  const form = await request.formData();
  const file = form.get("file");
  if (!(file instanceof File) || file.size === 0) {
    return withStatus<DistrictImportResult>({ ok: false, message: "CSVファイルを選んでください。", errors: [] }, { status: 400 });
  }
  const result = await importDistricts(new Uint8Array(await file.arrayBuffer()), user.id);
  return result.ok ? result : withStatus(result, { status: 400 });
}

export default function DistrictImport() {
  const result = useActionData<typeof action>() as DistrictImportResult | undefined;
  const navigation = useNavigation();
  return (
    <div className="page page--narrow">
      <PageHeader title="地区のCSV取込">
        <Link className="button button--secondary" to="/staff/districts">
          地区へ戻る
        </Link>
      </PageHeader>
      {result?.ok ? (
        <Notice tone="ok" title="取り込みました">
          <p>
            新規 {result.created}件、更新 {result.updated}件。<Link to="/staff/districts">地区の一覧</Link>で確認できます。
          </p>
        </Notice>
      ) : null}
      {result && !result.ok ? (
        <Notice tone="error" title={result.message}>
          {result.errors.length ? (
            <ul>
              {result.errors.map((e) => (
                <li key={e.row}>
                  {e.row}行目: {e.message}
                </li>
              ))}
            </ul>
          ) : null}
        </Notice>
      ) : null}
      <p>1行目に見出し「地区」「人口」「交付枚数」（任意で「よみ」）があるCSVを選んでください。Excelで保存したShift_JISのCSVもそのまま読めます。同じ地区名は上書きします。</p>
      <Form method="post" encType="multipart/form-data" className="card">
        <div className="field">
          <label htmlFor="district-file">CSVファイル</label>
          <input id="district-file" type="file" name="file" accept=".csv,text/csv" required />
        </div>
        <button className="button" aria-disabled={navigation.state === "submitting" || undefined}>
          取り込む
        </button>
      </Form>
    </div>
  );
}
