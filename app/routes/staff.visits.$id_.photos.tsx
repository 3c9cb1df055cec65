import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data as withStatus, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { requirePermission } from "~/auth.server";
import { EmptyState, Field, KindTag, Notice, PageHeader, VisitStatusBadge } from "~/components/ui";
import { formatInstant, formatTimeRange } from "~/lib/dates";
import { notFound, parseId, requireId } from "~/lib/ids";
import { formatBytes, PHOTO_ACCEPT, photosPagePath } from "~/visits/photos";
import { visitKindOf } from "~/visits/queries.server";
import { PhotoGrid } from "~/visits/photos-ui";
import { deletePhoto, PHOTO_MESSAGES, photoMaxBytes, photoPage, readPhotoForm, storePhoto } from "~/visits/photos.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `現場写真 ${data?.visit.title ?? ""} | 出張申請窓口` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requirePermission(request, "visits.manage");
  const visitId = requireId(params.id, "訪問が見つかりません。");
  const page = photoPage(visitId);
  if (!page) throw notFound("訪問が見つかりません。");
  const search = new URL(request.url).searchParams;
  const savedId = parseId(search.get("saved"));
  const saved = savedId != null && page.photos.some((p) => p.id === savedId);
  return { ...page, flash: saved ? "saved" : search.get("deleted") === "1" ? "deleted" : null };
}

type ActionResult = { ok: false; message: string; field?: string; caption?: string };

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requirePermission(request, "visits.manage");
  const visitId = requireId(params.id, "訪問が見つかりません。");
  if (!visitKindOf(visitId)) throw notFound("訪問が見つかりません。");
  const max = photoMaxBytes();
  const form = await readPhotoForm(request, max.bytes, max.megabytes);
  if (!form.ok) return withStatus<ActionResult>({ ok: false, message: form.message, field: form.field }, { status: form.status });
  const intent = form.fields.intent;
  if (intent === "upload") {
    const caption = form.fields.caption ?? "";
    if (!form.photo) return withStatus<ActionResult>({ ok: false, message: PHOTO_MESSAGES.noFile, field: "photo", caption }, { status: 400 });
    const r = await storePhoto({ visitId, bytes: form.photo, caption }, user);
    if (!r.ok) return withStatus<ActionResult>({ ok: false, message: r.message, field: r.field, caption }, { status: 400 });
    // Post/redirect/get: reloading the page never uploads the photo twice.
    throw redirect(`${photosPagePath(visitId)}?saved=${r.id}#photo-${r.id}`);
  }
  if (intent === "delete") {
    const photoId = requireId(form.fields.photoId, PHOTO_MESSAGES.photoNotFound);
    const r = deletePhoto({ visitId, photoId, reason: form.fields.reason }, user);
    if (!r.ok) return withStatus<ActionResult>({ ok: false, message: r.message, field: r.field }, { status: r.field ? 400 : 404 });
    throw redirect(`${photosPagePath(visitId)}?deleted=1`);
  }
  return withStatus<ActionResult>({ ok: false, message: "操作を認識できませんでした。画面を再読み込みしてください。" }, { status: 400 });
}

export default function VisitPhotos() {
  const d = useLoaderData<typeof loader>();
  // The action answers only ActionResult (success redirects).
  const result = useActionData<typeof action>() as ActionResult | undefined;
  const navigation = useNavigation();
  const uploading = navigation.state === "submitting" && navigation.formData?.get("intent") === "upload";
  const busy = navigation.state !== "idle";
  const v = d.visit;
  const error = result && !result.ok ? result.message : null;
  // With JavaScript the page stays where the button was: bring the refusal into view (and to screen readers).
  const errorRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (result && errorRef.current) {
      errorRef.current.scrollIntoView({ block: "center" });
      errorRef.current.focus();
    }
  }, [result]);
  return (
    <div className="page page--narrow photos-page">
      <p className="small">
        <Link to={`/staff/visits/${v.id}`}>← 訪問のページへ戻る</Link>
      </p>
      <PageHeader title="現場写真">
        <KindTag kind={v.kind} />
        <VisitStatusBadge status={v.status} />
      </PageHeader>
      <p className="photos-page__visit">
        <strong>{v.title}</strong>
        {v.startsAt ? <span className="nowrap">{formatTimeRange(v.startsAt, v.endsAt)}</span> : null}
        {v.venue ? <span>{v.venue}</span> : null}
      </p>

      {/* The address keeps ?saved= after a later refused post: the refusal is what counts then. */}
      {d.flash === "saved" && !result ? <Notice tone="ok">写真を登録しました。位置情報などの撮影情報は取り除いて保存しています。</Notice> : null}
      {d.flash === "deleted" && !result ? <Notice tone="ok">写真を削除しました。</Notice> : null}
      {error ? (
        <div ref={errorRef} tabIndex={-1}>
          <Notice tone="error">{error}</Notice>
        </div>
      ) : null}

      {/* Said where photos are taken and added; a visit that takes none has only its refusal. */}
      {!d.refusal ? (
        <Notice tone="warn" title="撮影・登録の前にご確認ください">
          <p>
            申請に来られた方の<strong>顔が判別できる写真は、撮影・登録しないでください。</strong>
            会場や窓口の様子は、人が写り込まない向きから、または後ろ姿や遠くから撮影してください。
          </p>
          <p>本人確認書類・申請書・端末の画面など、個人の情報が読み取れるものも写さないでください。</p>
        </Notice>
      ) : null}

      {d.refusal ? (
        <Notice tone="info">{d.refusal}</Notice>
      ) : (
        <section className="card" aria-labelledby="upload-h">
          <h2 id="upload-h">写真を登録する</h2>
          {/* Keyed by the photo list: after a save or delete the file inputs start empty again. */}
          <Form method="post" encType="multipart/form-data" noValidate key={d.photos.map((p) => p.id).join(",")}>
            {/* Disabled while a post is under way, so a photo picked meanwhile is not lost when the form starts afresh. */}
            <fieldset className="plain-fieldset" aria-disabled={busy || undefined}>
              <Field id="photo-camera" label="カメラで撮影する" hint="スマートフォンではカメラが開きます。">
                {(aria) => <input {...aria} className="file-input" type="file" name="photo" accept={PHOTO_ACCEPT} capture="environment" />}
              </Field>
              <Field id="photo-library" label="撮影済みの写真から選ぶ" hint="どちらか一方の欄で1枚選んでください。">
                {(aria) => <input {...aria} className="file-input" type="file" name="photo" accept={PHOTO_ACCEPT} />}
              </Field>
              <Field
                id="caption"
                label="説明（任意）"
                hint="例: 会場入口の案内表示。個人が分かることは書かないでください。"
                error={result && !result.ok && result.field === "caption" ? result.message : null}
              >
                {(aria) => <input {...aria} type="text" name="caption" maxLength={200} defaultValue={result && !result.ok ? result.caption ?? "" : ""} />}
              </Field>
              <p className="small muted">JPEG・PNG・WebP形式、1枚{d.maxMegabytes}MBまで。位置情報（GPS）や撮影日時などの撮影情報は、登録時にすべて取り除きます。</p>
              <button className="button button--large" name="intent" value="upload">
                {uploading ? "送信しています…" : "写真を登録する"}
              </button>
            </fieldset>
          </Form>
        </section>
      )}

      <section aria-labelledby="list-h">
        <h2 id="list-h">登録済みの写真（{d.photos.length}枚）</h2>
        {d.photos.length === 0 ? (
          <EmptyState>まだ写真はありません。</EmptyState>
        ) : (
          <PhotoGrid photos={d.photos} label="登録済みの写真">
            {(p) => (
              <>
                <p className="photo-card__caption">{p.caption ?? <span className="muted">説明なし</span>}</p>
                <p className="small muted">
                  {p.uploadedBy ?? "—"}・{formatInstant(p.uploadedAt)}
                  <br />
                  {p.width && p.height ? `${p.width}×${p.height}・` : ""}
                  {formatBytes(p.bytes)}
                </p>
                <details className="danger-zone">
                  <summary>削除…</summary>
                  <Form method="post">
                    <input type="hidden" name="photoId" value={p.id} />
                    <p className="small">この写真を削除します。元に戻せません。</p>
                    <Field id={`reason-${p.id}`} label="削除の理由（任意）">
                      {(aria) => <input {...aria} type="text" name="reason" maxLength={200} />}
                    </Field>
                    <button className="button button--danger" name="intent" value="delete" aria-disabled={busy || undefined}>
                      削除する（確定）
                    </button>
                  </Form>
                </details>
              </>
            )}
          </PhotoGrid>
        )}
      </section>
    </div>
  );
}
