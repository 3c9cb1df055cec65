import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { requirePermission } from "~/auth.server";
import { listDistricts } from "~/calendar/public-schedule.server";
import { getVenue, saveVenue, setVenueActive } from "~/calendar/venues.server";
import { Badge, Field, Notice, PageHeader } from "~/components/ui";
import { notFound, parseId } from "~/lib/ids";
import { VENUE_KIND_LABELS } from "~/lib/labels";
import { recordExists } from "~/lib/records.server";
import { VENUE_KINDS } from "../../db/enums";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.venue ? data.venue.name : "会場を追加"} | 会場` }];

function venueId(param: string | undefined): number | null | "bad" {
  if (param === "new") return null;
  return parseId(param) ?? "bad";
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requirePermission(request, "venues.manage");
  const id = venueId(params.id);
  if (id === "bad") throw new Response("会場が見つかりません。", { status: 404 });
  const venue = id == null ? null : getVenue(id);
  if (id != null && !venue) throw new Response("会場が見つかりません。", { status: 404 });
  const saved = new URL(request.url).searchParams.get("saved");
  return { venue, districts: listDistricts(), saved };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requirePermission(request, "venues.manage");
  const id = venueId(params.id);
  // A missing venue is a 404 before anything is saved (not a new venue, not a silent no-op).
  if (id === "bad" || (id != null && !recordExists("venue", id))) throw notFound("会場が見つかりません。");
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "save");
  if (id != null && (intent === "deactivate" || intent === "activate")) {
    setVenueActive(id, intent === "activate", user.id);
    return redirect(`/staff/venues/${id}?saved=${intent}`);
  }
  const result = saveVenue(id, Object.fromEntries(form), user.id);
  if (!result.ok) return { errors: result.errors, values: Object.fromEntries([...form.entries()].map(([k, v]) => [k, String(v)])) };
  return redirect(`/staff/venues/${result.id}?saved=${id == null ? "created" : "saved"}`);
}

const SAVED: Record<string, string> = {
  created: "会場を登録しました。",
  saved: "変更を保存しました。",
  deactivate: "この会場を使用停止にしました。新しい予定では選べなくなります（登録済みの予定はそのままです）。",
  activate: "この会場を使用中に戻しました。",
};

export default function VenueEdit() {
  const { venue, districts, saved } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const nav = useNavigation();
  const errors = data?.errors ?? {};
  const val = (k: string, fallback: string | number | null | undefined) => (data?.values?.[k] ?? (fallback == null ? "" : String(fallback)));
  return (
    <div className="page page--narrow">
      <p>
        <Link to="/staff/venues">← 会場の一覧</Link>
      </p>
      <PageHeader title={venue ? venue.name : "会場を追加"}>{venue && !venue.active ? <Badge tone="neutral">使用停止</Badge> : null}</PageHeader>
      {saved && SAVED[saved] ? <Notice tone="ok">{SAVED[saved]}</Notice> : null}
      {errors._form ? <Notice tone="error">{errors._form}</Notice> : null}
      {Object.keys(errors).length > 0 && !errors._form ? <Notice tone="error">入力内容を確認してください。赤く表示された項目を直してから保存してください。</Notice> : null}
      <Form method="post" noValidate className="card">
        <Field id="name" label="会場名" required error={errors.name}>
          {(aria) => <input {...aria} type="text" name="name" defaultValue={val("name", venue?.name)} />}
        </Field>
        <Field id="kind" label="会場の種類" required error={errors.kind}>
          {(aria) => (
            <select {...aria} name="kind" defaultValue={val("kind", venue?.kind ?? "supermarket")}>
              {VENUE_KINDS.filter((k) => k !== "organisation_site").map((k) => (
                <option key={k} value={k}>
                  {VENUE_KIND_LABELS[k]}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field id="districtId" label="地区" error={errors.districtId} hint="公開スケジュールの地区での絞り込みに使います。">
          {(aria) => (
            <select {...aria} name="districtId" defaultValue={val("districtId", venue?.districtId)}>
              <option value="">（未設定）</option>
              {districts.map((d) => (
                <option key={d.id} value={d.id}>
                  {d.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field id="postalCode" label="郵便番号" error={errors.postalCode} hint="例: 030-0801">
          {(aria) => <input {...aria} type="text" name="postalCode" inputMode="numeric" autoComplete="postal-code" defaultValue={val("postalCode", venue?.postalCode)} style={{ maxWidth: "10rem" }} />}
        </Field>
        <Field id="address" label="所在地" required error={errors.address} hint="公開スケジュールに表示し、地図のリンクにも使います。">
          {(aria) => <input {...aria} type="text" name="address" defaultValue={val("address", venue?.address)} />}
        </Field>
        <Field id="parkingNotes" label="駐車・設置メモ" error={errors.parkingNotes} hint="ラッピングカーの駐車場所、電源、搬入経路など（職員のみ閲覧）">
          {(aria) => <textarea {...aria} name="parkingNotes" rows={3} defaultValue={val("parkingNotes", venue?.parkingNotes)} />}
        </Field>
        <div className="grid grid--2">
          <Field id="contactName" label="会場の連絡先（担当）" error={errors.contactName}>
            {(aria) => <input {...aria} type="text" name="contactName" defaultValue={val("contactName", venue?.contactName)} />}
          </Field>
          <Field id="contactPhone" label="会場の電話番号" error={errors.contactPhone}>
            {(aria) => <input {...aria} type="tel" name="contactPhone" autoComplete="off" defaultValue={val("contactPhone", venue?.contactPhone)} />}
          </Field>
        </div>
        <Field id="notes" label="メモ" error={errors.notes}>
          {(aria) => <textarea {...aria} name="notes" rows={3} defaultValue={val("notes", venue?.notes)} />}
        </Field>
        <button type="submit" name="intent" value="save" className="button" aria-disabled={nav.state === "submitting" || undefined}>
          {venue ? "変更を保存" : "登録する"}
        </button>
      </Form>

      {venue ? (
        <section className="card" style={{ marginTop: "1.5rem" }}>
          <h2>使用状態</h2>
          {venue.active ? (
            <details>
              <summary>この会場を使用停止にする</summary>
              <p className="small">使用停止にすると、新しい予定で選べなくなります。登録済みの予定や実績はそのまま残ります。あとで使用中に戻せます。</p>
              <Form method="post">
                <button type="submit" name="intent" value="deactivate" className="button button--danger">
                  使用停止にする
                </button>
              </Form>
            </details>
          ) : (
            <Form method="post">
              <button type="submit" name="intent" value="activate" className="button button--secondary">
                使用中に戻す
              </button>
            </Form>
          )}
        </section>
      ) : null}
    </div>
  );
}
