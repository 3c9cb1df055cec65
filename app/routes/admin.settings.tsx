import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { requirePermission } from "~/auth.server";
import { Field, Notice, PageHeader } from "~/components/ui";
import { formatWareki } from "~/lib/dates";
import { ORGANISATION_KIND_LABELS } from "~/lib/labels";
import { TARGET_FIELD_LABELS } from "~/reports/targets";
// Values the component renders come from the browser-safe module; a value from settings.server is undefined in the browser.
import { SETTING_LABELS, SETTINGS_LIST_KEYS, SETTINGS_NUMBER_KEYS, type SettingListKey } from "~/settings-labels";
import { getActiveProgram, getSettings, parseSettingsForm, saveSettingsForm } from "~/settings.server";
import { ORGANISATION_KINDS } from "../../db/enums";

export const meta: MetaFunction = () => [{ title: "設定 | 管理" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "admin.settings");
  return { settings: getSettings(), program: getActiveProgram() ?? null };
}

export async function action({ request }: ActionFunctionArgs) {
  const admin = await requirePermission(request, "admin.settings");
  const form = await request.formData();
  const parsed = parseSettingsForm(form);
  if (!parsed.ok) return { errors: parsed.errors, ok: false as const };
  saveSettingsForm(parsed, admin.id);
  return { ok: true as const, errors: {} as Record<string, string> };
}

export default function AdminSettings() {
  const { settings, program } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const errors: Record<string, string> = data?.errors ?? {};
  return (
    <div className="page page--narrow">
      <PageHeader title="設定">
        <Link to="/admin">利用者の管理へ</Link>
      </PageHeader>
      {data?.ok ? <Notice tone="ok">設定を保存しました。</Notice> : null}
      {data && !data.ok ? <Notice tone="error">入力に誤りがあります。赤く表示された項目を直してください。</Notice> : null}
      <Form method="post" noValidate>
        <fieldset>
          <legend>業務期間と目標</legend>
          <Field id="program-name" label="業務名" required error={errors["program.name"]}>
            {(aria) => <input {...aria} type="text" name="name" defaultValue={program?.name ?? ""} />}
          </Field>
          <div className="grid grid--2">
            <Field id="program-starts" label="開始日" required error={errors["program.startsOn"]} hint={program ? formatWareki(program.startsOn) : undefined}>
              {(aria) => <input {...aria} type="date" name="startsOn" defaultValue={program?.startsOn ?? ""} />}
            </Field>
            <Field id="program-ends" label="終了日" required error={errors["program.endsOn"]} hint={program ? formatWareki(program.endsOn) : undefined}>
              {(aria) => <input {...aria} type="date" name="endsOn" defaultValue={program?.endsOn ?? ""} />}
            </Field>
          </div>
          <div className="grid grid--3">
            {(
              [
                ["targetGroupVisits", TARGET_FIELD_LABELS.targetGroupVisits, 100],
                ["targetRoamingVisits", TARGET_FIELD_LABELS.targetRoamingVisits, 100],
                ["targetBaseAccept", TARGET_FIELD_LABELS.targetBaseAccept, 10],
                ["targetBaseSupport", TARGET_FIELD_LABELS.targetBaseSupport, 40],
                ["targetSupportCombined", TARGET_FIELD_LABELS.targetSupportCombined, 150],
              ] as const
            ).map(([key, label, fallback]) => (
              <Field key={key} id={`program-${key}`} label={label} error={errors[`program.${key}`]}>
                {(aria) => <input {...aria} type="number" min={0} name={key} defaultValue={program?.[key] ?? fallback} />}
              </Field>
            ))}
          </div>
        </fieldset>
        <fieldset>
          <legend>受付・日程・報告のルール</legend>
          <div className="grid grid--2">
            {SETTINGS_NUMBER_KEYS.map((key) => (
              <Field key={key} id={`setting-${key}`} label={SETTING_LABELS[key]} error={errors[key]}>
                {(aria) => <input {...aria} type="number" name={key} defaultValue={settings[key]} />}
              </Field>
            ))}
          </div>
          <Field id="setting-postal" label={SETTING_LABELS.postalLookupUrl} error={errors.postalLookupUrl}>
            {(aria) => <input {...aria} type="url" name="postalLookupUrl" defaultValue={settings.postalLookupUrl} />}
          </Field>
          <Field id="setting-closed" label={SETTING_LABELS.closedDates} hint="年末年始（12月29日〜1月3日）以外に実施しない日。1行に1日、2026-12-28 の形で。" error={errors.closedDates}>
            {(aria) => <textarea {...aria} name="closedDates" rows={3} defaultValue={settings.closedDates.join("\n")} />}
          </Field>
          <Field id="setting-opened" label={SETTING_LABELS.openedDates} hint="年末年始（12月29日〜1月3日）は閉庁のため予定を入れられません。例外として実施する日だけ、1行に1日、2026-12-29 の形で。" error={errors.openedDates}>
            {(aria) => <textarea {...aria} name="openedDates" rows={2} defaultValue={settings.openedDates.join("\n")} />}
          </Field>
          {(Object.entries(SETTINGS_LIST_KEYS) as [SettingListKey, string][]).map(([key, hint]) => (
            <Field key={key} id={`setting-${key}`} label={SETTING_LABELS[key]} hint={`${hint}1行に1つ「キー:表示名」。キーは記録に残るため、表示名だけを変えてください。`} error={errors[key]}>
              {(aria) => <textarea {...aria} name={key} rows={4} defaultValue={settings[key].map((c) => `${c.key}:${c.label}`).join("\n")} />}
            </Field>
          ))}
        </fieldset>
        <fieldset>
          <legend>窓口の連絡先</legend>
          <p className="small">トップページ・申込フォーム・状況確認ページ・団体へのメール・エラー画面に表示します。</p>
          <Field id="setting-windowPhone" label={SETTING_LABELS.windowPhone} hint="市外局番から（例: 017-734-0000）" error={errors.windowPhone}>
            {(aria) => <input {...aria} type="tel" name="windowPhone" defaultValue={settings.windowPhone} />}
          </Field>
          <Field id="setting-windowHours" label={SETTING_LABELS.windowHours} hint="例: 平日 8:30〜17:15・土日祝日と年末年始は休み" error={errors.windowHours}>
            {(aria) => <input {...aria} type="text" name="windowHours" defaultValue={settings.windowHours} />}
          </Field>
          <Field id="setting-windowAddress" label={SETTING_LABELS.windowAddress} error={errors.windowAddress}>
            {(aria) => <input {...aria} type="text" name="windowAddress" autoComplete="off" defaultValue={settings.windowAddress} />}
          </Field>
        </fieldset>
        <fieldset>
          <legend>優先度の重み（0〜10）</legend>
          {errors.priorityWeights ? <p className="field-error">{errors.priorityWeights}</p> : null}
          <div className="grid grid--3">
            {ORGANISATION_KINDS.map((k) => (
              <Field key={k} id={`weight-kind-${k}`} label={`種類: ${ORGANISATION_KIND_LABELS[k]}`}>
                {(aria) => <input {...aria} type="number" step="0.1" min={0} max={10} name={`weight.kind.${k}`} defaultValue={settings.priorityWeights.kind[k] ?? 0} />}
              </Field>
            ))}
            {(
              [
                ["headCount", "人数・申請見込み"],
                ["districtGap", "地区のカード未取得率"],
                ["recency", "前回訪問からの期間"],
                ["yield", "過去の訪問の申請率"],
              ] as const
            ).map(([k, label]) => (
              <Field key={k} id={`weight-${k}`} label={label}>
                {(aria) => <input {...aria} type="number" step="0.1" min={0} max={10} name={`weight.${k}`} defaultValue={settings.priorityWeights[k]} />}
              </Field>
            ))}
          </div>
        </fieldset>
        <button className="button button--large">保存する</button>
      </Form>
    </div>
  );
}
