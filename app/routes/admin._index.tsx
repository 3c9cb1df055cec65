import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { accountLockState, requirePermission, revokeUserSessions } from "~/auth.server";
import { Badge, Field, Notice, PageHeader } from "~/components/ui";
import { formatInstant } from "~/lib/dates";
import { notFound, requireId } from "~/lib/ids";
import { recordExists } from "~/lib/records.server";
import { ROLE_LABELS } from "~/permissions";
import { createUser, listUsers, resetPassword, setUserActive, unlockUser } from "~/users.server";
import { ROLES } from "../../db/enums";

export const meta: MetaFunction = () => [{ title: "利用者の管理 | 管理" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "admin.users");
  // Locks come from the recorded attempts (the same rules sign-in applies), not a stored flag.
  return { users: listUsers().map((u) => ({ ...u, lock: accountLockState(u.email, u.id) })) };
}

const USER_INTENTS = ["reset", "revoke", "deactivate", "activate", "unlock"];
const USER_NOT_FOUND = "利用者が見つかりません。画面を再読み込みしてください。";

export async function action({ request }: ActionFunctionArgs) {
  const admin = await requirePermission(request, "admin.users");
  const form = await request.formData();
  const intent = String(form.get("intent"));
  // Every intent but "create" names a user: an id with no user is a 404 before any change.
  const userId = USER_INTENTS.includes(intent) ? requireId(form.get("userId"), USER_NOT_FOUND) : 0;
  if (userId && !recordExists("user", userId)) throw notFound(USER_NOT_FOUND);
  switch (intent) {
    case "create": {
      const result = await createUser(Object.fromEntries(form), admin.id);
      if (!result.ok) return { intent, errors: result.errors, values: { email: form.get("email"), name: form.get("name"), role: form.get("role") } };
      return { intent, ok: "利用者を登録しました。" };
    }
    case "reset": {
      const result = await resetPassword(userId, String(form.get("password") ?? ""), admin.id);
      if (!result.ok) return { intent, userId, errors: result.errors };
      return { intent, ok: "パスワードを変更し、その利用者のサインイン中のセッションをすべて終了しました。" };
    }
    case "revoke":
      revokeUserSessions(userId, admin.id);
      return { intent, ok: "その利用者のセッションをすべて終了しました。" };
    case "deactivate":
      if (userId === admin.id) return { intent, error: "自分自身は無効にできません。" };
      setUserActive(userId, false, admin.id);
      return { intent, ok: "利用者を無効にしました。" };
    case "activate":
      setUserActive(userId, true, admin.id);
      return { intent, ok: "利用者を有効にしました。" };
    case "unlock":
      unlockUser(userId, admin.id);
      return { intent, ok: "ロックと端末ごとの制限を解除しました。これまでの失敗は数えません。" };
    default:
      return { intent, error: "操作を認識できませんでした。画面を再読み込みしてお試しください。" };
  }
}

export default function AdminUsers() {
  const { users } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>() as
    | { intent: string; ok?: string; error?: string; errors?: Record<string, string>; userId?: number; values?: Record<string, unknown> }
    | undefined;
  const navigation = useNavigation();
  const createErrors = data?.intent === "create" ? data.errors : undefined;
  return (
    <div className="page">
      <PageHeader title="利用者の管理">
        <Link to="/admin/settings" className="button button--secondary">
          設定
        </Link>
        <Link to="/admin/outbox" className="button button--secondary">
          メール送信状況
        </Link>
        <Link to="/admin/audit" className="button button--secondary">
          操作記録
        </Link>
      </PageHeader>
      {data?.ok ? <Notice tone="ok">{data.ok}</Notice> : null}
      {data?.error ? <Notice tone="error">{data.error}</Notice> : null}
      <div className="table-wrap" role="region" aria-label="利用者一覧" tabIndex={0}>
        <table>
          <caption className="visually-hidden">利用者一覧</caption>
          <thead>
            <tr>
              <th scope="col">氏名</th>
              <th scope="col">メールアドレス</th>
              <th scope="col">役割</th>
              <th scope="col">状態</th>
              <th scope="col">最終サインイン</th>
              <th scope="col" className="num">
                セッション
              </th>
              <th scope="col">操作</th>
            </tr>
          </thead>
          <tbody>
            {users.map((u) => {
              const locked = u.lock.locked;
              const limited = locked || u.lock.blockedClients > 0;
              return (
                <tr key={u.id}>
                  <td>{u.name}</td>
                  <td>{u.email}</td>
                  <td>{ROLE_LABELS[u.role]}</td>
                  <td>
                    {u.active ? <Badge tone="ok">有効</Badge> : <Badge tone="danger">無効</Badge>} {locked ? <Badge tone="warn">ロック中</Badge> : null}
                    {!locked && u.lock.blockedClients > 0 ? <Badge tone="warn">{`${u.lock.blockedClients}か所の端末を制限中`}</Badge> : null}
                    {u.lock.failures > 0 ? <div className="small muted">{`直近15分の失敗 ${u.lock.failures}回（${u.lock.clients}か所から）`}</div> : null}
                  </td>
                  <td className="nowrap">{u.lastLoginAt ? formatInstant(u.lastLoginAt) : "—"}</td>
                  <td className="num">{u.openSessions}</td>
                  <td>
                    <details>
                      <summary>操作</summary>
                      <div className="stack" style={{ minWidth: 260, paddingTop: "0.5rem" }}>
                        <Form method="post" className="row">
                          <input type="hidden" name="userId" value={u.id} />
                          <label htmlFor={`pw-${u.id}`} className="visually-hidden">
                            {u.name}さんの新しいパスワード
                          </label>
                          <input id={`pw-${u.id}`} type="password" name="password" autoComplete="new-password" placeholder="新しいパスワード（10文字以上）" />
                          <button className="button button--small" name="intent" value="reset">
                            パスワードを再設定
                          </button>
                          {data?.intent === "reset" && data.userId === u.id && data.errors?.password ? (
                            <p className="field-error">{data.errors.password}</p>
                          ) : null}
                        </Form>
                        <Form method="post" className="row">
                          <input type="hidden" name="userId" value={u.id} />
                          <button className="button button--secondary button--small" name="intent" value="revoke">
                            セッションを終了
                          </button>
                          {limited ? (
                            <button className="button button--secondary button--small" name="intent" value="unlock">
                              ロック解除
                            </button>
                          ) : null}
                          {u.active ? (
                            <button className="button button--danger button--small" name="intent" value="deactivate">
                              無効にする
                            </button>
                          ) : (
                            <button className="button button--secondary button--small" name="intent" value="activate">
                              有効にする
                            </button>
                          )}
                        </Form>
                      </div>
                    </details>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>

      <section className="card" style={{ marginTop: "1.5rem", maxWidth: 640 }}>
        <h2>利用者を追加</h2>
        {data?.intent === "create" && data.ok ? <Notice tone="ok">{data.ok}</Notice> : null}
        <Form method="post" noValidate key={data?.intent === "create" && data.ok ? users.length : "form"}>
          <Field id="new-name" label="氏名" required error={createErrors?.name}>
            {(aria) => <input {...aria} type="text" name="name" defaultValue={String(data?.values?.name ?? "")} />}
          </Field>
          <Field id="new-email" label="メールアドレス" required error={createErrors?.email}>
            {(aria) => <input {...aria} type="email" name="email" autoComplete="off" defaultValue={String(data?.values?.email ?? "")} />}
          </Field>
          <Field id="new-role" label="役割" required error={createErrors?.role}>
            {(aria) => (
              <select {...aria} name="role" defaultValue={String(data?.values?.role ?? "outreach")}>
                {ROLES.map((r) => (
                  <option key={r} value={r}>
                    {ROLE_LABELS[r]}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field id="new-password" label="初期パスワード" hint="10文字以上。本人に安全な方法で伝え、初回に変更してもらってください。" required error={createErrors?.password}>
            {(aria) => <input {...aria} type="password" name="password" autoComplete="new-password" />}
          </Field>
          <button className="button" name="intent" value="create" aria-disabled={navigation.state === "submitting" || undefined}>
            登録する
          </button>
        </Form>
      </section>
    </div>
  );
}
