import { zodResolver } from "@hookform/resolvers/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation, useSubmit } from "@remix-run/react";
import { useEffect, useMemo, useRef, useState, type FormEvent } from "react";
import { useForm, type Resolver } from "react-hook-form";
import { Field, Notice } from "~/components/ui";
import { formatDate } from "~/lib/days";
import { ORGANISATION_KIND_LABELS, PARKING_LABELS, TIME_SLOT_LABELS } from "~/lib/labels";
import { WhatToBringList } from "~/components/what-to-bring";
import { WindowContactBlock, WindowPhone } from "~/components/window-contact";
import { NO_INDIVIDUAL_NUMBER_NOTE } from "~/lib/what-to-bring";
import { BodyTooLargeError, formObject, readFormLimited } from "~/requests/form.server";
import {
  earliestRequestDate,
  HONEYPOT_FIELD,
  IDEMPOTENCY_FIELD,
  REQUEST_FIELDS,
  REQUEST_MAX,
  requestSchema,
  type RequestField,
} from "~/requests/schema";
import { newIdempotencyKey, requestFormContext, submitVisitRequest } from "~/requests/submit.server";
import { clientIp } from "~/request-info.server";
import { perResponse } from "~/lib/per-response.server";
import { ORGANISATION_KINDS, PARKING, TIME_SLOTS } from "../../db/enums";

export const meta: MetaFunction = () => [
  { title: "団体向け出張申請の申し込み | マイナンバーカード出張申請窓口" },
  { name: "description", content: "企業・町内会・福祉施設などへ、マイナンバーカードの出張申請窓口が伺います。申込フォーム。" },
];

export async function loader({ context }: LoaderFunctionArgs) {
  const ctx = requestFormContext();
  // A fresh key in every response, also when the page comes from the page cache.
  return { ctx, idempotencyKey: perResponse(context, newIdempotencyKey) };
}

type ActionResult = { ok: false; errors: Record<string, string>; values: Record<string, string>; formError?: string };

export async function action({ request }: ActionFunctionArgs) {
  let form: Record<string, string>;
  try {
    form = formObject(await readFormLimited(request));
  } catch (error) {
    if (error instanceof BodyTooLargeError) {
      return data<ActionResult>(
        { ok: false, errors: {}, values: {}, formError: "送信された内容が大きすぎます。連絡事項などを短くしてからもう一度お送りください。" },
        { status: 413 },
      );
    }
    throw error;
  }
  const result = await submitVisitRequest(form, { ip: clientIp(request) ?? null });
  // POST → 303 to the receipt page: a reload there keeps the 受付番号 and never posts again.
  if (result.ok) return redirect(`/request/done/${result.statusToken}`, 303);
  return data<ActionResult>(result, { status: result.formError && Object.keys(result.errors).length === 0 ? 429 : 400 });
}

type FormShape = Record<RequestField, string | boolean>;

export default function RequestPage() {
  const { ctx, idempotencyKey } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as ActionResult | undefined;

  return (
    <div className="page page--narrow request-page">
      <h1>団体向け出張申請の申し込み</h1>
      <Intro minApplicants={ctx?.minApplicants ?? 5} minNoticeDays={ctx?.minNoticeDays ?? 14} />
      {ctx ? (
        <RequestForm ctx={ctx} idempotencyKey={idempotencyKey} actionData={actionData} />
      ) : (
        <Notice tone="warn" title="現在、お申し込みを受け付けていません">
          <p>
            実施期間外のため、フォームでのお申し込みを停止しています。お手数ですが窓口（電話 <WindowPhone />）までお電話でお問い合わせください。
          </p>
        </Notice>
      )}
      <WindowContactBlock title="お電話でのお問い合わせ・お申し込み" />
    </div>
  );
}

function Intro({ minApplicants, minNoticeDays }: { minApplicants: number; minNoticeDays: number }) {
  return (
    <section className="request-intro" aria-labelledby="intro-heading">
      <h2 id="intro-heading" className="visually-hidden">
        出張申請とは
      </h2>
      <p>
        市から委託を受けたスタッフが、申請用の機器を積んだラッピングカーで職場・集会所・施設などに伺い、その場でマイナンバーカードの申請をお手伝いします。<strong>費用はかかりません。</strong>
      </p>
      <details className="request-intro__more">
        <summary>申し込みできる団体・当日お持ちいただくもの</summary>
        <h3>申し込みできる団体</h3>
        <p>
          企業・事業所、町内会・自治会、福祉施設、学校・保育施設、医療機関などで、おおむね{minApplicants}
          人以上の方が申請を希望される団体。会場（会議室・集会所など）をご用意ください。市外にお住まいの方は、お住まいの市区町村にお問い合わせいただくようご案内します。
        </p>
        <h3>当日お持ちいただくもの（方式によって異なります）</h3>
        {(["accept", "support"] as const).map((mode) => (
          <WhatToBringList key={mode} mode={mode} />
        ))}
        <p>どちらの方式になるかは、担当者と相談して決めます。</p>
      </details>
      <p className="small">
        希望日は、お申し込みの{minNoticeDays}日以上先の日付を選んでください。担当者からご連絡のうえ、市の承認を経て訪問日が確定します。
      </p>
      <p className="small">
        <strong>{NO_INDIVIDUAL_NUMBER_NOTE}</strong>
      </p>
    </section>
  );
}

function RequestForm({
  ctx,
  idempotencyKey,
  actionData,
}: {
  ctx: NonNullable<ReturnType<typeof useLoaderData<typeof loader>>["ctx"]>;
  idempotencyKey: string;
  actionData?: { errors: Record<string, string>; values: Record<string, string>; formError?: string };
}) {
  const schema = useMemo(() => requestSchema(ctx), [ctx]);
  const values = actionData?.values ?? {};
  const defaults = useMemo(
    () =>
      ({
        organisationName: values.organisationName ?? "",
        organisationNameKana: values.organisationNameKana ?? "",
        organisationKind: values.organisationKind ?? "",
        postalCode: values.postalCode ?? "",
        address: values.address ?? "",
        contactName: values.contactName ?? "",
        phone: values.phone ?? "",
        email: values.email ?? "",
        expectedApplicants: values.expectedApplicants ?? "",
        preferredDate1: values.preferredDate1 ?? "",
        preferredSlot1: values.preferredSlot1 ?? "",
        preferredDate2: values.preferredDate2 ?? "",
        preferredSlot2: values.preferredSlot2 ?? "",
        preferredDate3: values.preferredDate3 ?? "",
        preferredSlot3: values.preferredSlot3 ?? "",
        venueText: values.venueText ?? "",
        parking: values.parking ?? "",
        message: values.message ?? "",
        consent: values.consent === "on",
      }) satisfies FormShape,
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [actionData],
  );
  const { register, handleSubmit, formState, setValue, getValues } = useForm<FormShape>({
    resolver: zodResolver(schema as never) as unknown as Resolver<FormShape>,
    mode: "onTouched",
    reValidateMode: "onChange",
    // We focus the first field to fix ourselves, in the order the fields appear.
    shouldFocusError: false,
    defaultValues: defaults,
  });
  const [clientInvalid, setClientInvalid] = useState(0);
  const [serverErrors, setServerErrors] = useState<Record<string, string>>(actionData?.errors ?? {});
  useEffect(() => setServerErrors(actionData?.errors ?? {}), [actionData]);
  const submit = useSubmit();
  const navigation = useNavigation();
  const busy = navigation.state !== "idle";
  const errorSummary = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (actionData && (actionData.formError || Object.keys(actionData.errors).length > 0)) errorSummary.current?.focus();
  }, [actionData]);

  const [postalState, setPostalState] = useState<"idle" | "looking" | "filled" | "notfound" | "unavailable">("idle");
  const autoAddress = useRef<string | null>(null);
  async function lookupPostal(raw: string) {
    const digits = raw.normalize("NFKC").replace(/\D/g, "");
    if (digits.length !== 7) return;
    setPostalState("looking");
    try {
      const res = await fetch(`/api/postal-code/${digits}`, { signal: AbortSignal.timeout(4000) });
      const body = (await res.json()) as { status: string; address?: string | null };
      if (body.status === "found" && body.address) {
        const current = String(getValues("address") ?? "");
        // Fill only an empty field or one we filled ourselves: never overwrite what the user typed.
        if (current === "" || current === autoAddress.current) {
          setValue("address", body.address, { shouldValidate: false, shouldDirty: true });
          autoAddress.current = body.address;
        }
        setPostalState("filled");
      } else setPostalState(body.status === "notfound" ? "notfound" : "unavailable");
    } catch {
      setPostalState("unavailable");
    }
  }

  const err = (name: RequestField) => (formState.errors[name]?.message as string | undefined) ?? serverErrors[name];
  const reg = (name: RequestField, extra?: { onChange?: (value: string) => void }) =>
    register(name, {
      onChange: (e) => {
        if (serverErrors[name]) setServerErrors(({ [name]: _drop, ...rest }) => rest);
        extra?.onChange?.(String(e.target.value ?? ""));
      },
    });

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const formEl = event.currentTarget;
    void handleSubmit(
      () => {
        setClientInvalid(0);
        submit(formEl, { method: "post", replace: true });
      },
      (errors) => {
        // Take the user to the first field to fix, in the order they appear.
        const first = REQUEST_FIELDS.find((f) => errors[f]);
        setClientInvalid(Object.keys(errors).length);
        if (first) {
          const el = document.getElementById(`rq-${first}`);
          el?.scrollIntoView({ block: "center" });
          el?.focus({ preventScroll: true });
        }
      },
    )();
  };
  const errorCount = Object.keys(formState.errors).length + Object.keys(serverErrors).length;
  const earliest = earliestRequestDate(ctx);

  return (
    <Form method="post" noValidate onSubmit={onSubmit} className="request-form" aria-describedby="required-note">
      <p id="required-note" className="small">
        <span className="required" aria-hidden="true"></span> の項目は入力が必要です。
      </p>
      <div ref={errorSummary} tabIndex={-1}>
        {actionData?.formError ? <Notice tone="error">{actionData.formError}</Notice> : null}
        {actionData && !actionData.formError && Object.keys(actionData.errors).length > 0 && errorCount > 0 ? (
          <Notice tone="error" title="入力内容を確認してください">
            <p>赤く表示された項目を直してから、もう一度「申し込む」を押してください。入力した内容は残っています。</p>
          </Notice>
        ) : null}
      </div>
      <input type="hidden" name={IDEMPOTENCY_FIELD} value={idempotencyKey} />
      <div className="hp-field" aria-hidden="true">
        <label htmlFor="rq-website">この欄は空のままにしてください</label>
        <input id="rq-website" type="text" name={HONEYPOT_FIELD} tabIndex={-1} autoComplete="off" defaultValue="" />
      </div>

      <fieldset>
        <legend>団体について</legend>
        <Field id="rq-organisationName" label="団体名" required error={err("organisationName")} hint="例: あおば町内会、株式会社あおば製作所">
          {(aria) => <input {...aria} type="text" maxLength={REQUEST_MAX.organisationName} autoComplete="organization" defaultValue={String(defaults.organisationName)} {...reg("organisationName")} />}
        </Field>
        <Field id="rq-organisationNameKana" label="団体名のよみがな" error={err("organisationNameKana")} hint="ひらがな・カタカナ（任意）。例: みなとちょうないかい">
          {(aria) => <input {...aria} type="text" maxLength={REQUEST_MAX.organisationNameKana} autoComplete="off" defaultValue={String(defaults.organisationNameKana)} {...reg("organisationNameKana")} />}
        </Field>
        <Field id="rq-organisationKind" label="団体の種類" required error={err("organisationKind")}>
          {(aria) => (
            <select {...aria} defaultValue={String(defaults.organisationKind)} {...reg("organisationKind")}>
              <option value="">選んでください</option>
              {ORGANISATION_KINDS.map((k) => (
                <option key={k} value={k}>
                  {ORGANISATION_KIND_LABELS[k]}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field
          id="rq-postalCode"
          label="郵便番号"
          required
          error={err("postalCode")}
          hint="7桁の数字（例: 030-0801）。入力すると所在地を自動で補います。"
        >
          {(aria) => (
            <input
              {...aria}
              type="text"
              inputMode="numeric"
              autoComplete="postal-code"
              maxLength={REQUEST_MAX.postalCode}
              className="input--short"
              defaultValue={String(defaults.postalCode)}
              {...reg("postalCode", { onChange: (v) => void lookupPostal(v) })}
            />
          )}
        </Field>
        <p className="small muted postal-status" aria-live="polite">
          {postalState === "looking" ? "住所を調べています…" : postalState === "filled" ? "所在地を補いました。番地などを続けて入力してください。" : postalState === "notfound" ? "この郵便番号の住所が見つかりませんでした。所在地を直接入力してください。" : postalState === "unavailable" ? "住所の自動入力が使えません。所在地を直接入力してください。" : ""}
        </p>
        <Field id="rq-address" label="所在地" required error={err("address")} hint="番地・建物名まで">
          {(aria) => <input {...aria} type="text" maxLength={REQUEST_MAX.address} autoComplete="address-line1" defaultValue={String(defaults.address)} {...reg("address")} />}
        </Field>
      </fieldset>

      <fieldset>
        <legend>ご担当の方</legend>
        <Field id="rq-contactName" label="担当者氏名" required error={err("contactName")}>
          {(aria) => <input {...aria} type="text" maxLength={REQUEST_MAX.contactName} autoComplete="name" defaultValue={String(defaults.contactName)} {...reg("contactName")} />}
        </Field>
        <Field id="rq-phone" label="電話番号" required error={err("phone")} hint="日中に連絡のつく番号（例: 017-123-4567）">
          {(aria) => <input {...aria} type="tel" autoComplete="tel" maxLength={REQUEST_MAX.phone + 6} defaultValue={String(defaults.phone)} {...reg("phone")} />}
        </Field>
        <Field id="rq-email" label="メールアドレス" required error={err("email")} hint="受付番号と、状況を確認できるページのリンクをお送りします。">
          {(aria) => <input {...aria} type="email" autoComplete="email" maxLength={REQUEST_MAX.email} defaultValue={String(defaults.email)} {...reg("email")} />}
        </Field>
      </fieldset>

      <fieldset>
        <legend>ご希望の内容</legend>
        <Field id="rq-expectedApplicants" label="申請予定人数" required error={err("expectedApplicants")} hint={`おおよその人数（${ctx.minApplicants}人以上）`}>
          {(aria) => (
            <span className="input-with-unit">
              <input {...aria} type="text" inputMode="numeric" maxLength={REQUEST_MAX.expectedApplicants} className="input--short" defaultValue={String(defaults.expectedApplicants)} {...reg("expectedApplicants")} />
              <span aria-hidden="true">人</span>
            </span>
          )}
        </Field>
        <p className="small">
          希望日は{formatDate(earliest)}から{formatDate(ctx.programEnd)}までの日を選んでください（年末年始を除く）。第2・第3希望は空欄でもかまいません。
        </p>
        {([1, 2, 3] as const).map((n) => {
          const dateName = `preferredDate${n}` as RequestField;
          const slotName = `preferredSlot${n}` as RequestField;
          return (
            <div className="preferred" key={n}>
              <Field id={`rq-${dateName}`} label={`第${n}希望日`} required={n === 1} error={err(dateName)}>
                {(aria) => <input {...aria} type="date" min={earliest} max={ctx.programEnd} defaultValue={String(defaults[dateName])} {...reg(dateName)} />}
              </Field>
              <Field id={`rq-${slotName}`} label={`第${n}希望日の時間帯`} required={n === 1} error={err(slotName)}>
                {(aria) => (
                  <select {...aria} defaultValue={String(defaults[slotName])} {...reg(slotName)}>
                    <option value="">選んでください</option>
                    {TIME_SLOTS.map((s) => (
                      <option key={s} value={s}>
                        {TIME_SLOT_LABELS[s]}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
            </div>
          );
        })}
        <Field id="rq-venueText" label="会場" required error={err("venueText")} hint="例: 本社2階 会議室、あおば町内会館">
          {(aria) => <input {...aria} type="text" maxLength={REQUEST_MAX.venueText} defaultValue={String(defaults.venueText)} {...reg("venueText")} />}
        </Field>
        <Field id="rq-parking" label="駐車スペース" required error={err("parking")} hint="ラッピングカー（ワゴン車1台）を停める場所">
          {(aria) => (
            <select {...aria} defaultValue={String(defaults.parking)} {...reg("parking")}>
              <option value="">選んでください</option>
              {PARKING.map((p) => (
                <option key={p} value={p}>
                  {PARKING_LABELS[p]}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field id="rq-message" label="連絡事項" error={err("message")} hint="ご質問や、車いすの方が多いなどお伝えしたいこと（任意）">
          {(aria) => <textarea {...aria} rows={4} maxLength={REQUEST_MAX.message} defaultValue={String(defaults.message)} {...reg("message")} />}
        </Field>
      </fieldset>

      <section className="card consent" aria-labelledby="privacy-heading">
        <h2 id="privacy-heading">個人情報の取扱い</h2>
        <p className="small">
          ご入力いただいた情報は、市から委託を受けた出張申請窓口の運営（ご連絡・日程調整・実施報告）にのみ使用し、業務の終了後に消去します。市へ報告する内容に担当者の個人情報は含みません。
        </p>
        <div className="field">
          <label className="choice" htmlFor="rq-consent">
            <input
              id="rq-consent"
              type="checkbox"
              aria-invalid={err("consent") ? true : undefined}
              aria-describedby={err("consent") ? "rq-consent-error" : undefined}
              defaultChecked={defaults.consent === true}
              {...reg("consent")}
            />
            個人情報の取扱いに同意する
          </label>
          {err("consent") ? (
            <p className="field-error" id="rq-consent-error">
              {err("consent")}
            </p>
          ) : null}
        </div>
      </section>

      {clientInvalid > 0 && Object.keys(formState.errors).length > 0 ? (
        <p className="field-error" role="alert">
          入力内容を確認してください（{Object.keys(formState.errors).length}か所）。赤く表示された項目を直してから、もう一度「申し込む」を押してください。
        </p>
      ) : null}
      <button type="submit" className="button button--large" aria-disabled={busy || undefined}>
        {busy ? "送信しています…" : "申し込む"}
      </button>
    </Form>
  );
}
