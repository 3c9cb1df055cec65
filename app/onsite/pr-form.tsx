/** The PR activity form (広報活動), shared by the add form on /staff/pr and the edit page. Works without JavaScript. */
import { Form } from "@remix-run/react";
import type { PrMedium, PrStatus } from "../../db/enums";
import { Field } from "../components/ui";
import { PR_MEDIA_OFFERED, PR_MEDIUM_LABELS, PR_STATUS_LABELS } from "./labels";

export type PrFormValues = Partial<Record<
  "medium" | "title" | "status" | "plannedOn" | "doneOn" | "reach" | "reachUnit" | "notes" | "cityApprovedOn" | "cityApprovalRef",
  string
>>;

const UNITS = ["部", "枚", "件", "回", "人", "PV", "分"];

export function PrForm({
  values,
  errors,
  currentMedium,
  today,
  submitLabel,
  busy,
  idPrefix = "pr",
}: {
  values: PrFormValues;
  errors: Record<string, string>;
  /** An older row's medium outside the seven offered (tv, newspaper, other) stays selectable. */
  currentMedium?: PrMedium;
  today: string;
  submitLabel: string;
  busy: boolean;
  idPrefix?: string;
}) {
  const id = (n: string) => `${idPrefix}-${n}`;
  const media = currentMedium && !PR_MEDIA_OFFERED.includes(currentMedium) ? [...PR_MEDIA_OFFERED, currentMedium] : PR_MEDIA_OFFERED;
  const status = (values.status ?? "planned") as PrStatus;
  return (
    <Form method="post" noValidate className="pr-form">
      <div className="grid grid--2">
        <Field id={id("medium")} label="媒体" required error={errors.medium}>
          {(aria) => (
            <select {...aria} name="medium" defaultValue={values.medium ?? "flyer"}>
              {media.map((m) => (
                <option key={m} value={m}>
                  {PR_MEDIUM_LABELS[m]}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field id={id("title")} label="内容" required error={errors.title} hint="例: 出張窓口案内チラシ（町内会回覧）、市広報誌12月号">
          {(aria) => <input {...aria} type="text" name="title" maxLength={200} defaultValue={values.title ?? ""} />}
        </Field>
      </div>
      <fieldset>
        <legend className="required">予定・実施</legend>
        {(["planned", "done"] as const).map((s) => (
          <label key={s} className="choice">
            <input type="radio" name="status" value={s} defaultChecked={status === s} />
            {PR_STATUS_LABELS[s]}
          </label>
        ))}
        {errors.status ? <p className="field-error">{errors.status}</p> : null}
      </fieldset>
      <div className="grid grid--2">
        <Field id={id("plannedOn")} label="予定日" error={errors.plannedOn}>
          {(aria) => <input {...aria} type="date" name="plannedOn" defaultValue={values.plannedOn ?? ""} />}
        </Field>
        <Field id={id("doneOn")} label="実施日" error={errors.doneOn} hint="実施済のときに入力します。">
          {(aria) => <input {...aria} type="date" name="doneOn" max={today} defaultValue={values.doneOn ?? ""} />}
        </Field>
        <Field id={id("reach")} label="数量・到達数" error={errors.reach} hint="配布部数、掲載回数、閲覧数など">
          {(aria) => <input {...aria} type="text" inputMode="numeric" name="reach" defaultValue={values.reach ?? ""} className="input--count" />}
        </Field>
        <Field id={id("reachUnit")} label="単位" error={errors.reachUnit} hint="例: 部、枚、回、PV">
          {(aria) => (
            <>
              <input {...aria} type="text" name="reachUnit" maxLength={20} list={id("units")} defaultValue={values.reachUnit ?? ""} className="input--count" />
              <datalist id={id("units")}>
                {UNITS.map((u) => (
                  <option key={u} value={u} />
                ))}
              </datalist>
            </>
          )}
        </Field>
      </div>
      <fieldset className="pr-approval">
        <legend>市の承認（仕様書 5(3)②）</legend>
        <p className="hint small muted">広報・PRの方法と内容は、使用する前に市の承諾を得る決まりです。承認を受けた日と、文書番号など承認を確かめられる参照を記録してください。</p>
        <div className="grid grid--2">
          <Field id={id("cityApprovedOn")} label="承認日" error={errors.cityApprovedOn}>
            {(aria) => <input {...aria} type="date" name="cityApprovedOn" max={today} defaultValue={values.cityApprovedOn ?? ""} />}
          </Field>
          <Field id={id("cityApprovalRef")} label="承認の参照（文書番号など）" error={errors.cityApprovalRef} hint="例: 市民課 第123号、12月1日付のメール">
            {(aria) => <input {...aria} type="text" name="cityApprovalRef" maxLength={100} defaultValue={values.cityApprovalRef ?? ""} />}
          </Field>
        </div>
      </fieldset>
      <Field id={id("notes")} label="メモ" error={errors.notes}>
        {(aria) => <textarea {...aria} name="notes" rows={2} defaultValue={values.notes ?? ""} />}
      </Field>
      <button type="submit" name="intent" value="save" className="button" aria-disabled={busy || undefined}>
        {submitLabel}
      </button>
    </Form>
  );
}
