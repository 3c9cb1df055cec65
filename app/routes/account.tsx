import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data as withStatus } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { AUTH_RULES, requireUser } from "~/auth.server";
import { Field, Notice, PageHeader } from "~/components/ui";
import { ROLE_LABELS } from "~/permissions";
import { clientIp } from "~/request-info.server";
import { changeOwnPassword } from "~/users.server";

export const meta: MetaFunction = () => [{ title: "自分のアカウント | 出張申請窓口" }];

/** /account: every signed-in user (staff, city, admin) sees their account and changes their own password. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  return { name: user.name, email: user.email, role: user.role, minPasswordLength: AUTH_RULES.minPasswordLength };
}

type ActionResult = { ok?: string; errors?: Record<string, string> };

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const form = Object.fromEntries(await request.formData());
  const r = await changeOwnPassword(user, form, clientIp(request));
  if (!r.ok) return withStatus<ActionResult>({ errors: r.errors }, { status: 400 });
  return {
    ok:
      r.signedOut > 0
        ? `パスワードを変更しました。ほかの端末やブラウザーのサインイン（${r.signedOut}件）は終了しました。この画面はそのまま使えます。`
        : "パスワードを変更しました。この画面はそのまま使えます。",
  } satisfies ActionResult;
}

export default function Account() {
  const d = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as ActionResult | undefined;
  const busy = useNavigation().state === "submitting";
  const formRef = useRef<HTMLFormElement>(null);
  const statusRef = useRef<HTMLDivElement>(null);
  const errors = result?.errors;
  useEffect(() => {
    if (result?.ok) {
      // Passwords must not stay in the fields; the message takes the focus so it is read out.
      formRef.current?.reset();
      statusRef.current?.focus();
    } else if (errors) {
      const first = ["currentPassword", "newPassword", "confirmPassword"].find((k) => errors[k]);
      if (first) formRef.current?.querySelector<HTMLInputElement>(`[name="${first}"]`)?.focus();
    }
  }, [result, errors]);
  return (
    <div className="page">
      <PageHeader title="自分のアカウント" />
      <dl className="plain-list">
        <dt>氏名</dt>
        <dd>{d.name}</dd>
        <dt>メールアドレス</dt>
        <dd>{d.email}</dd>
        <dt>役割</dt>
        <dd>{ROLE_LABELS[d.role]}</dd>
      </dl>
      <div aria-live="polite" ref={statusRef} tabIndex={-1}>
        {result?.ok ? <Notice tone="ok">{result.ok}</Notice> : null}
      </div>
      <section className="card" aria-labelledby="h-password">
        <h2 id="h-password">パスワードの変更</h2>
        <p className="small muted">変更すると、ほかの端末やブラウザーでのサインインはすべて終了します。</p>
        <Form method="post" noValidate ref={formRef}>
          <Field id="a-current" label="現在のパスワード" required error={errors?.currentPassword}>
            {(aria) => <input {...aria} type="password" name="currentPassword" autoComplete="current-password" />}
          </Field>
          <Field id="a-new" label="新しいパスワード" required hint={`${d.minPasswordLength}文字以上`} error={errors?.newPassword}>
            {(aria) => <input {...aria} type="password" name="newPassword" autoComplete="new-password" minLength={d.minPasswordLength} />}
          </Field>
          <Field id="a-confirm" label="新しいパスワード（確認）" required error={errors?.confirmPassword}>
            {(aria) => <input {...aria} type="password" name="confirmPassword" autoComplete="new-password" />}
          </Field>
          <button className="button" type="submit" aria-disabled={busy || undefined}>
            パスワードを変更する
          </button>
        </Form>
      </section>
    </div>
  );
}
