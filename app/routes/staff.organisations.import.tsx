import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data as withStatus, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useFetcher, useLoaderData, useLocation, useNavigation, useRevalidator } from "@remix-run/react";
import { useEffect } from "react";
import { requirePermission } from "~/auth.server";
import { Badge, Notice, PageHeader } from "~/components/ui";
import { IMPORT_FIELDS, type ImportField } from "~/crm/import-fields";
import { awaitPreview, createImportJob, getImportJob, importColumns, mappingFrom, startImport } from "~/crm/import.server";
import { requireId } from "~/lib/ids";
import { ORGANISATION_KIND_LABELS } from "~/lib/labels";

export const meta: MetaFunction = () => [{ title: "団体のCSV取込 | 出張申請窓口" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "crm.import");
  const params = new URL(request.url).searchParams;
  if (!params.get("job")) return { job: null, preview: null, previewProgress: null };
  const jobId = requireId(params.get("job"), "取込が見つかりません。");
  const job = getImportJob(jobId);
  if (!job || job.userId !== user.id) throw new Response("取込が見つかりません。", { status: 404 });
  const hasMapping = [...params.keys()].some((k) => k.startsWith("map."));
  // A big file's preview takes a while: answer with its progress and let the page poll.
  const state = job.status === "preview" ? await awaitPreview(jobId, hasMapping ? params : null) : null;
  return { job, preview: state?.ready ? state.preview : null, previewProgress: state && !state.ready ? state.progress : null };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, "crm.import");
  const form = await request.formData();
  const intent = form.get("intent");
  if (intent === "upload") {
    const file = form.get("file");
    if (!(file instanceof File) || file.size === 0) return withStatus({ error: "CSVファイルを選んでください。" }, { status: 400 });
    const r = await createImportJob(new Uint8Array(await file.arrayBuffer()), file.name || "import.csv", user.id);
    if (!r.ok) return withStatus({ error: r.message }, { status: 400 });
    throw redirect(`/staff/organisations/import?job=${r.jobId}`);
  }
  if (intent === "start") {
    const jobId = requireId(form.get("job"), "取込が見つかりません。");
    const job = getImportJob(jobId);
    if (!job || job.userId !== user.id) return withStatus({ error: "取込が見つかりません。" }, { status: 404 });
    const columns = await importColumns(jobId);
    if (!columns) return withStatus({ error: "アップロードしたファイルが見つかりません。もう一度アップロードしてください。" }, { status: 400 });
    const mapping = mappingFrom(form, columns.headers.length, columns.mapping);
    const r = await startImport(jobId, mapping, user.id);
    if (!r.ok) return withStatus({ error: r.message }, { status: 400 });
    throw redirect(`/staff/organisations/import?job=${jobId}`);
  }
  return withStatus({ error: "操作を認識できませんでした。" }, { status: 400 });
}

function Progress({ job }: { job: NonNullable<ReturnType<typeof useLoaderData<typeof loader>>["job"]> }) {
  const fetcher = useFetcher<typeof loader>();
  const location = useLocation();
  const current = fetcher.data?.job ?? job;
  const running = current.status === "running";
  useEffect(() => {
    if (!running) return;
    const t = setInterval(() => {
      if (fetcher.state === "idle") fetcher.load(`${location.pathname}${location.search}`);
    }, 800);
    return () => clearInterval(t);
  }, [running, fetcher, location.pathname, location.search]);
  const errors = current.errors ?? [];
  const duplicates = errors.filter((e) => e.message.startsWith("重複"));
  const bad = errors.filter((e) => !e.message.startsWith("重複"));
  return (
    <section className="card" aria-labelledby="h-progress">
      <h2 id="h-progress">
        {current.fileName} {running ? <Badge tone="info">取込中</Badge> : current.status === "done" ? <Badge tone="ok">完了</Badge> : <Badge tone="danger">停止</Badge>}
      </h2>
      <label htmlFor="import-progress">
        {current.processedRows.toLocaleString("ja-JP")} / {current.totalRows.toLocaleString("ja-JP")}行を処理
      </label>
      <progress id="import-progress" max={current.totalRows} value={current.processedRows} className="import-progress" />
      <p aria-live="polite">
        登録 {current.createdRows.toLocaleString("ja-JP")}件・重複でスキップ {duplicates.length}件・誤り {bad.length}件
        {current.status === "done" && current.processedRows - current.createdRows - errors.length > 0
          ? `・登録済みで変更なし ${(current.processedRows - current.createdRows - errors.length).toLocaleString("ja-JP")}件`
          : ""}
      </p>
      {current.status === "done" ? (
        <p>
          <Link to="/staff/organisations?sort=lastActivity">登録した団体を一覧で見る</Link>
        </p>
      ) : null}
      {duplicates.length ? (
        <details open>
          <summary>重複のためスキップした行（{duplicates.length}件）</summary>
          <ul className="small">
            {duplicates.slice(0, 300).map((e) => (
              <li key={e.row}>
                {e.row}行目: {e.message}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
      {bad.length ? (
        <details open>
          <summary>取り込めなかった行（{bad.length}件）</summary>
          <ul className="small">
            {bad.slice(0, 300).map((e) => (
              <li key={e.row}>
                {e.row > 0 ? `${e.row}行目: ` : ""}
                {e.message}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
    </section>
  );
}

/** The preview of a big file is still being worked out: show how far, and ask again shortly. */
function PreviewProgress({ progress, fileName }: { progress: number; fileName: string }) {
  const revalidator = useRevalidator();
  useEffect(() => {
    const t = setInterval(() => {
      if (revalidator.state === "idle") revalidator.revalidate();
    }, 700);
    return () => clearInterval(t);
  }, [revalidator]);
  const percent = Math.floor(progress * 100);
  return (
    <section className="card" aria-labelledby="h-preview-progress">
      <h2 id="h-preview-progress">{fileName} のプレビューを作成しています</h2>
      <label htmlFor="preview-progress">ファイルを読み込んで各行を確認しています（{percent}%）</label>
      <progress id="preview-progress" max={100} value={percent} className="import-progress" />
      <p className="muted small" aria-live="polite">
        大きなファイルは少し時間がかかります。この画面のままお待ちください（ほかの画面の操作は止まりません）。
      </p>
    </section>
  );
}

export default function OrganisationImport() {
  const { job, preview, previewProgress } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as { error?: string } | undefined;
  const navigation = useNavigation();
  const busy = navigation.state !== "idle";
  return (
    <div className="page">
      <PageHeader title="団体のCSV取込">
        <Link className="button button--secondary" to="/staff/organisations">
          団体一覧へ
        </Link>
      </PageHeader>
      {result?.error ? <Notice tone="error">{result.error}</Notice> : null}
      {!job ? (
        <Form method="post" encType="multipart/form-data" className="card page--narrow">
          <p>1行目が見出しのCSVを選んでください。Excelで保存したCSV（Shift_JIS）もUTF-8もそのまま読めます。次の画面で列の対応を確認してから取り込みます。</p>
          <div className="field">
            <label htmlFor="import-file">CSVファイル</label>
            <input id="import-file" type="file" name="file" accept=".csv,text/csv" required />
          </div>
          <button className="button" name="intent" value="upload" aria-disabled={busy || undefined}>
            アップロードして確認
          </button>
        </Form>
      ) : job.status !== "preview" ? (
        <Progress job={job} />
      ) : previewProgress !== null ? (
        <PreviewProgress progress={previewProgress} fileName={job.fileName} />
      ) : preview ? (
        <Form method="post" className="stack">
          <input type="hidden" name="job" value={job.id} />
          <section className="card">
            <h2>列の対応（{job.fileName}、{job.totalRows.toLocaleString("ja-JP")}行）</h2>
            <div className="filters__grid">
              {(Object.keys(IMPORT_FIELDS) as ImportField[]).map((f) => (
                <div className="field" key={f}>
                  <label htmlFor={`map-${f}`} className={IMPORT_FIELDS[f].required ? "required" : undefined}>
                    {IMPORT_FIELDS[f].label}
                  </label>
                  <select id={`map-${f}`} name={`map.${f}`} defaultValue={preview.mapping[f]}>
                    <option value={-1}>（使わない）</option>
                    {preview.headers.map((h, i) => (
                      <option key={i} value={i}>
                        {h || `${i + 1}列目`}
                      </option>
                    ))}
                  </select>
                </div>
              ))}
            </div>
            <button className="button button--secondary" formMethod="get">
              この対応でプレビューを更新
            </button>
          </section>
          <section className="card">
            <h2>プレビュー</h2>
            <p>
              登録 <strong>{preview.willCreate.toLocaleString("ja-JP")}</strong>件・重複でスキップ <strong>{preview.duplicates}</strong>件・誤り{" "}
              <strong>{preview.errorCount}</strong>件（誤りの行は取り込まれません）
              {preview.unchanged > 0 ? (
                <>
                  ・登録済みで変更なし <strong>{preview.unchanged.toLocaleString("ja-JP")}</strong>件（何もしません）
                </>
              ) : null}
            </p>
            <div className="table-wrap" role="region" aria-label="先頭10行の取込結果" tabIndex={0}>
              <table>
                <caption className="visually-hidden">先頭10行の取込結果</caption>
                <thead>
                  <tr>
                    <th scope="col">行</th>
                    <th scope="col">団体名</th>
                    <th scope="col">種類</th>
                    <th scope="col">電話番号</th>
                    <th scope="col">地区</th>
                    <th scope="col">人数</th>
                    <th scope="col">結果</th>
                  </tr>
                </thead>
                <tbody>
                  {preview.sample.map((s) => (
                    <tr key={s.row}>
                      <td className="num">{s.row}</td>
                      <td>{s.values?.name ?? "—"}</td>
                      <td>{s.values ? ORGANISATION_KIND_LABELS[s.values.kind] : "—"}</td>
                      <td>{s.values?.phone ?? "—"}</td>
                      <td>{s.values?.districtId ? "✓" : "—"}</td>
                      <td className="num">{s.values?.headCount ?? "—"}</td>
                      <td>
                        {s.message ? (
                          <span className="field-error">{s.message}</span>
                        ) : s.duplicateOf ? (
                          <Badge tone="warn">重複（{s.duplicateOf}）</Badge>
                        ) : (
                          <Badge tone="ok">登録</Badge>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            {preview.errors.length ? (
              <details>
                <summary>誤りのある行（{preview.errorCount}件）</summary>
                <ul className="small">
                  {preview.errors.map((e) => (
                    <li key={e.row}>
                      {e.row}行目: {e.message}
                    </li>
                  ))}
                </ul>
              </details>
            ) : null}
            <div className="row">
              <button className="button" name="intent" value="start" disabled={preview.mapping.name < 0} aria-disabled={busy || undefined}>
                {preview.willCreate.toLocaleString("ja-JP")}件を取り込む
              </button>
              <Link to="/staff/organisations/import" className="button button--secondary">
                別のファイルを選ぶ
              </Link>
            </div>
          </section>
        </Form>
      ) : (
        <Notice tone="error">アップロードしたファイルが見つかりません。もう一度アップロードしてください。</Notice>
      )}
    </div>
  );
}
