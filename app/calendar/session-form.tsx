/** The planning form: used in the calendar's dialog and on /calendar/new (keyboard users, no JavaScript). */
import { Form } from "@remix-run/react";
import type { ReactNode } from "react";
import { Field, Notice } from "../components/ui";
import { formatDate } from "../lib/dates";
import { VENUE_KIND_LABELS, VISIT_MODE_LABELS } from "../lib/labels";

export type VenueOption = { id: number; name: string; kind: keyof typeof VENUE_KIND_LABELS; districtName: string | null };
export type PlanActionData = {
  ok: boolean;
  message: string;
  errors?: Record<string, string>;
  created?: { id: number; date: string }[];
  skipped?: { date: string; reason: string }[];
  values?: Record<string, string>;
};

export function PlanResultNotice({ data }: { data: PlanActionData | undefined }) {
  if (!data) return null;
  return (
    <Notice tone={data.ok ? (data.skipped?.length ? "warn" : "ok") : "error"}>
      <p>{data.message}</p>
      {data.created?.length ? (
        <p className="small">作成: {data.created.map((c) => formatDate(c.date)).join("、")}</p>
      ) : null}
      {data.skipped?.length ? (
        <ul className="small">
          {data.skipped.map((s) => (
            <li key={s.date}>
              {formatDate(s.date)}：{s.reason}
            </li>
          ))}
        </ul>
      ) : null}
    </Notice>
  );
}

type Props = {
  venues: VenueOption[];
  defaults: { date?: string; startTime?: string; endTime?: string; kind?: string; mode?: string; venueId?: string; repeatWeeks?: string; notes?: string };
  errors?: Record<string, string>;
  action?: string;
  submitting?: boolean;
  idPrefix?: string;
  FormComponent?: typeof Form;
  footer?: ReactNode;
};

export function SessionForm({ venues, defaults, errors = {}, action = "/calendar/new", submitting, idPrefix = "plan", FormComponent = Form, footer }: Props) {
  const id = (name: string) => `${idPrefix}-${name}`;
  return (
    <FormComponent method="post" action={action} noValidate className="plan-form">
      <fieldset>
        <legend>種類</legend>
        <label className="choice">
          <input type="radio" name="kind" value="roaming" defaultChecked={(defaults.kind ?? "roaming") === "roaming"} />
          【巡】巡回（ラッピングカー）
        </label>
        <label className="choice">
          <input type="radio" name="kind" value="base" defaultChecked={defaults.kind === "base"} />
          【拠】拠点施設（土日祝・車なし）
        </label>
        {errors.kind ? <p className="field-error">{errors.kind}</p> : null}
      </fieldset>
      <Field id={id("venueId")} label="会場" required error={errors.venueId} hint="一覧にない会場は「会場」画面で追加できます。">
        {(aria) => (
          <select {...aria} name="venueId" defaultValue={defaults.venueId ?? ""}>
            <option value="">選んでください</option>
            {Object.entries(VENUE_KIND_LABELS).map(([kind, label]) => {
              const list = venues.filter((v) => v.kind === kind);
              if (list.length === 0) return null;
              return (
                <optgroup key={kind} label={label}>
                  {list.map((v) => (
                    <option key={v.id} value={v.id}>
                      {v.name}
                      {v.districtName ? `（${v.districtName}）` : ""}
                    </option>
                  ))}
                </optgroup>
              );
            })}
          </select>
        )}
      </Field>
      <fieldset aria-describedby={id("mode-hint")}>
        <legend>方式</legend>
        <p className="small muted" id={id("mode-hint")}>
          巡回はサポート方式のみです。拠点施設は受付方式（市職員が本人確認）とサポート方式のどちらでも行えます。
        </p>
        {(["support", "accept"] as const).map((m) => (
          <label key={m} className="choice">
            <input type="radio" name="mode" value={m} defaultChecked={(defaults.mode ?? "support") === m} />
            {VISIT_MODE_LABELS[m]}
          </label>
        ))}
        {errors.mode ? <p className="field-error">{errors.mode}</p> : null}
      </fieldset>
      <div className="grid grid--3">
        <Field id={id("date")} label="日付" required error={errors.date}>
          {(aria) => <input {...aria} type="date" name="date" defaultValue={defaults.date ?? ""} />}
        </Field>
        <Field id={id("startTime")} label="開始時刻" required error={errors.startTime}>
          {(aria) => <input {...aria} type="time" name="startTime" step={900} defaultValue={defaults.startTime ?? "10:00"} />}
        </Field>
        <Field id={id("endTime")} label="終了時刻" required error={errors.endTime}>
          {(aria) => <input {...aria} type="time" name="endTime" step={900} defaultValue={defaults.endTime ?? "15:00"} />}
        </Field>
      </div>
      <Field
        id={id("repeatWeeks")}
        label="毎週繰り返す回数"
        error={errors.repeatWeeks}
        hint="1なら1回だけ。4なら同じ曜日・時間で4週分を作ります。ラッピングカーの予定と重なる週や実施しない日（年末年始など）は作らずに、結果に理由を表示します。"
      >
        {(aria) => <input {...aria} type="number" name="repeatWeeks" min={1} max={26} inputMode="numeric" defaultValue={defaults.repeatWeeks ?? "1"} style={{ maxWidth: "8rem" }} />}
      </Field>
      <Field id={id("notes")} label="メモ（職員向け）" error={errors.notes}>
        {(aria) => <textarea {...aria} name="notes" rows={2} defaultValue={defaults.notes ?? ""} />}
      </Field>
      <p className="small muted">作成した予定は「計画中」になります。市が月の予定に合意すると、住民向けの公開スケジュールに載ります。</p>
      <div className="row">
        <button type="submit" className="button" aria-disabled={submitting || undefined}>
          予定を作成
        </button>
        {footer}
      </div>
    </FormComponent>
  );
}
