import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useNavigation, useSearchParams } from "@remix-run/react";
import { getSessionUser, login } from "~/auth.server";
import { Field, Notice } from "~/components/ui";
import { safeRedirect } from "~/lib/safe-redirect";
import { homePathFor } from "~/permissions";
import { clientIp } from "~/request-info.server";
import { PLAIN_HTML } from "~/lib/hydrate";

// Works as plain HTML: links and plain form posts, no JavaScript sent (docs/decisions/013).
export const handle = PLAIN_HTML;

export const meta: MetaFunction = () => [{ title: "サインイン | マイナンバーカード出張申請窓口" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await getSessionUser(request);
  if (user) throw redirect(homePathFor(user.role));
  return null;
}

export async function action({ request }: ActionFunctionArgs) {
  // A body that is not a form (JSON, text, broken multipart) reads as an empty form: the usual message, never a 500.
  // Its size is capped before it reaches here (server.mjs counts the bytes as they arrive).
  const form = await request.formData().catch(() => new FormData());
  const email = String(form.get("email") ?? "");
  const password = String(form.get("password") ?? "");
  if (!email.trim() || !password) {
    return { message: "メールアドレスとパスワードを入力してください。", email };
  }
  const result = await login({ email, password, ip: clientIp(request), userAgent: request.headers.get("user-agent") });
  if (!result.ok) return { message: result.message, email };
  // Only a path on this site: an open redirect would let a phishing link borrow our sign-in page.
  const to = safeRedirect(form.get("redirectTo"), { origin: request.url, fallback: homePathFor(result.user.role) });
  return redirect(to, { headers: { "Set-Cookie": result.setCookie } });
}

export default function Login() {
  const data = useActionData<typeof action>();
  const [params] = useSearchParams();
  const navigation = useNavigation();
  const busy = navigation.state !== "idle" && navigation.formAction === "/login";
  return (
    <div className="page page--narrow">
      <div className="card" style={{ maxWidth: 460, margin: "1rem auto" }}>
        <h1>職員サインイン</h1>
        <p className="muted small">受託者の職員、市の担当者、管理者の方がご利用になります。団体の方は申込時のメールにあるリンクから状況をご確認ください。</p>
        {data?.message ? <Notice tone="error">{data.message}</Notice> : null}
        <Form method="post" noValidate>
          <input type="hidden" name="redirectTo" value={params.get("redirectTo") ?? ""} />
          <Field id="email" label="メールアドレス" required>
            {(aria) => <input {...aria} type="email" name="email" autoComplete="username" defaultValue={data?.email ?? ""} required />}
          </Field>
          <Field id="password" label="パスワード" required>
            {(aria) => <input {...aria} type="password" name="password" autoComplete="current-password" required />}
          </Field>
          <button type="submit" className="button button--large" aria-disabled={busy || undefined}>
            {busy ? "確認しています…" : "サインイン"}
          </button>
        </Form>
      </div>
    </div>
  );
}
