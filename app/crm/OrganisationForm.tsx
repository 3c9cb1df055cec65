/** The organisation details form (create and edit). */
import { Form } from "@remix-run/react";
import { Field } from "~/components/ui";
import { ORGANISATION_KIND_LABELS } from "~/lib/labels";
import { ORGANISATION_KINDS } from "../../db/enums";

type Values = Partial<{
  name: string;
  nameKana: string | null;
  kind: string;
  districtId: number | string | null;
  postalCode: string | null;
  address: string | null;
  phone: string | null;
  email: string | null;
  headCount: number | string | null;
  expectedApplicants: number | string | null;
  ownerId: number | string | null;
  notes: string | null;
}>;

export function OrganisationForm({
  values,
  errors,
  districts,
  staff,
  intent,
  submitLabel,
  busy,
}: {
  values: Values;
  errors?: Record<string, string>;
  districts: { id: number; name: string }[];
  staff: { id: number; name: string }[];
  intent: string;
  submitLabel: string;
  busy?: boolean;
}) {
  const v = (x: unknown) => (x == null ? "" : String(x));
  return (
    <Form method="post" noValidate className="org-form">
      <div className="grid grid--2">
        <Field id="org-name" label="団体名" required error={errors?.name}>
          {(aria) => <input type="text" {...aria} name="name" defaultValue={v(values.name)} autoComplete="organization" />}
        </Field>
        <Field id="org-kana" label="よみがな" hint="ひらがな・カタカナどちらでも" error={errors?.nameKana}>
          {(aria) => <input type="text" {...aria} name="nameKana" defaultValue={v(values.nameKana)} />}
        </Field>
        <Field id="org-kind" label="種類" required error={errors?.kind}>
          {(aria) => (
            <select {...aria} name="kind" defaultValue={v(values.kind) || "company"}>
              {ORGANISATION_KINDS.map((k) => (
                <option key={k} value={k}>
                  {ORGANISATION_KIND_LABELS[k]}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field id="org-district" label="地区" error={errors?.districtId}>
          {(aria) => (
            <select {...aria} name="districtId" defaultValue={v(values.districtId)}>
              <option value="">未設定</option>
              {districts.map((d) => (
                <option key={d.id} value={d.id}>
                  {d.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field id="org-postal" label="郵便番号" hint="例: 038-0012" error={errors?.postalCode}>
          {(aria) => <input type="text" {...aria} name="postalCode" inputMode="numeric" defaultValue={v(values.postalCode)} autoComplete="postal-code" />}
        </Field>
        <Field id="org-address" label="住所" error={errors?.address}>
          {(aria) => <input type="text" {...aria} name="address" defaultValue={v(values.address)} />}
        </Field>
        <Field id="org-phone" label="電話番号" hint="例: 0172-12-3456" error={errors?.phone}>
          {(aria) => <input {...aria} name="phone" type="tel" defaultValue={v(values.phone)} />}
        </Field>
        <Field id="org-email" label="メール" error={errors?.email}>
          {(aria) => <input {...aria} name="email" type="email" defaultValue={v(values.email)} />}
        </Field>
        <Field id="org-head" label="人数（会員・職員・利用者）" error={errors?.headCount}>
          {(aria) => <input type="text" {...aria} name="headCount" inputMode="numeric" defaultValue={v(values.headCount)} />}
        </Field>
        <Field id="org-expected" label="申請見込み人数" error={errors?.expectedApplicants}>
          {(aria) => <input type="text" {...aria} name="expectedApplicants" inputMode="numeric" defaultValue={v(values.expectedApplicants)} />}
        </Field>
        <Field id="org-owner" label="担当" error={errors?.ownerId}>
          {(aria) => (
            <select {...aria} name="ownerId" defaultValue={v(values.ownerId)}>
              <option value="">担当なし</option>
              {staff.map((u) => (
                <option key={u.id} value={u.id}>
                  {u.name}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      <Field id="org-notes" label="メモ" error={errors?.notes}>
        {(aria) => <textarea {...aria} name="notes" rows={3} defaultValue={v(values.notes)} />}
      </Field>
      <button className="button" name="intent" value={intent} aria-disabled={busy || undefined}>
        {submitLabel}
      </button>
    </Form>
  );
}
