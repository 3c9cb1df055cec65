import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { audit } from "~/audit.server";
import { requirePermission } from "~/auth.server";
import { Badge, EmptyState, Field, Notice, PageHeader } from "~/components/ui";
import { parseId } from "~/lib/ids";
import { ROLE_LABELS } from "~/permissions";
import { clientIp } from "~/request-info.server";
import { STAFF_AFFILIATION_LABELS } from "~/visits/roster";
import { createStaffMember, linkableUsers, listStaffMembers, setStaffMemberActive, updateStaffMember } from "~/visits/roster.server";
import { STAFF_AFFILIATIONS, type Role, type StaffAffiliation } from "../../db/enums";

export const meta: MetaFunction = () => [{ title: "従事者名簿 | 出張申請窓口" }];

/** 従事者名簿: the people who may be put on session rosters (staff.roster: the manager and admins). */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "staff.roster");
  // Names and phone numbers of people: every view is traceable.
  audit({ userId: user.id, action: "staff_member.list_view", entity: "staff_member", ip: clientIp(request) });
  return { members: listStaffMembers({ includeInactive: true }), accounts: linkableUsers() };
}

type ActionData = { intent: string; ok: boolean; message: string; errors: Record<string, string>; values: Record<string, string>; memberId: number | null };

export async function action({ request }: ActionFunctionArgs): Promise<ActionData> {
  const user = await requirePermission(request, "staff.roster");
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "");
  const values = Object.fromEntries([...form].filter(([, v]) => typeof v === "string")) as Record<string, string>;
  const memberId = parseId(form.get("memberId"));
  const input = { name: values.name ?? "", nameKana: values.nameKana, affiliation: values.affiliation ?? "", userId: values.userId, phone: values.phone };
  if (intent === "create") {
    const r = createStaffMember(input, user);
    if (!r.ok) return { intent, ok: false, message: r.message, errors: ("errors" in r ? r.errors : undefined) ?? {}, values, memberId: null };
    return { intent, ok: true, message: `${input.name.trim()}さんを名簿に追加しました。`, errors: {}, values: {}, memberId: r.id };
  }
  if (intent === "update" || intent === "deactivate" || intent === "activate") {
    if (memberId == null) return { intent, ok: false, message: "名簿の人が見つかりません。画面を再読み込みしてください。", errors: {}, values, memberId: null };
    if (intent === "update") {
      const r = updateStaffMember(memberId, input, user);
      if (!r.ok) return { intent, ok: false, message: r.message, errors: ("errors" in r ? r.errors : undefined) ?? {}, values, memberId };
      return { intent, ok: true, message: "名簿を更新しました。", errors: {}, values: {}, memberId };
    }
    const r = setStaffMemberActive(memberId, intent === "activate", user);
    if (!r.ok) return { intent, ok: false, message: r.message, errors: {}, values, memberId };
    const message =
      intent === "activate"
        ? `${r.name}さんを有効に戻しました。体制に追加できます。`
        : `${r.name}さんを無効にしました。これからの体制には追加できません。${r.openSessions > 0 ? `まだ終わっていない予定${r.openSessions}件の体制に入っています。必要なら各予定の画面で外してください。` : ""}`;
    return { intent, ok: true, message, errors: {}, values: {}, memberId };
  }
  return { intent, ok: false, message: "操作を認識できませんでした。画面を再読み込みしてお試しください。", errors: {}, values, memberId: null };
}

type Account = { id: number; name: string; email: string; role: Role };

function MemberFields({
  prefix,
  defaults,
  errors,
  accounts,
}: {
  prefix: string;
  defaults: { name?: string; nameKana?: string | null; affiliation?: StaffAffiliation | string; userId?: number | string | null; phone?: string | null };
  errors: Record<string, string>;
  accounts: Account[];
}) {
  return (
    <>
      <Field id={`${prefix}-name`} label="氏名" required error={errors.name}>
        {(aria) => <input {...aria} type="text" name="name" autoComplete="off" defaultValue={defaults.name ?? ""} />}
      </Field>
      <Field id={`${prefix}-nameKana`} label="ふりがな" hint="名簿の並び順に使います。" error={errors.nameKana}>
        {(aria) => <input {...aria} type="text" name="nameKana" autoComplete="off" defaultValue={defaults.nameKana ?? ""} />}
      </Field>
      <Field id={`${prefix}-affiliation`} label="所属" required hint="本人確認（受付方式）は市職員だけが担当できます。" error={errors.affiliation}>
        {(aria) => (
          <select {...aria} name="affiliation" defaultValue={defaults.affiliation ?? "contractor"}>
            {STAFF_AFFILIATIONS.map((a) => (
              <option key={a} value={a}>
                {STAFF_AFFILIATION_LABELS[a]}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field id={`${prefix}-userId`} label="サインインアカウント（任意）" hint="このシステムにサインインする人なら結び付けます。" error={errors.userId}>
        {(aria) => (
          <select {...aria} name="userId" defaultValue={defaults.userId ? String(defaults.userId) : ""}>
            <option value="">結び付けない</option>
            {accounts.map((u) => (
              <option key={u.id} value={u.id}>
                {u.name}（{ROLE_LABELS[u.role]}・{u.email}）
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field id={`${prefix}-phone`} label="電話番号（任意）" hint="当日の連絡用。例: 090-1234-5678" error={errors.phone}>
        {(aria) => <input {...aria} name="phone" type="tel" inputMode="tel" autoComplete="off" defaultValue={defaults.phone ?? ""} />}
      </Field>
    </>
  );
}

export default function StaffTeam() {
  const { members, accounts } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const createFailed = result && !result.ok && result.intent === "create";
  const active = members.filter((m) => m.active);
  const inactive = members.filter((m) => !m.active);
  return (
    <div className="page">
      <PageHeader title="従事者名簿">
        <span className="muted">有効 {active.length}人</span>
      </PageHeader>
      <p className="small muted">当日の体制（現地管理者・従事者・本人確認の市職員）に入れる人の名簿です。サインインしない人（応援の従事者、本人確認だけを行う市職員など）も登録できます。</p>
      {result?.ok ? <Notice tone="ok">{result.message}</Notice> : null}
      {result && !result.ok && !createFailed && result.memberId == null ? <Notice tone="error">{result.message}</Notice> : null}

      <div className="grid grid--2">
        <section className="card" aria-labelledby="team-list-h">
          <h2 id="team-list-h">名簿（{active.length}人）</h2>
          {active.length === 0 ? <EmptyState>まだ登録がありません。右（スマートフォンでは下）のフォームから追加してください。</EmptyState> : null}
          <ul className="plain-list team-list">
            {active.map((m) => (
              <MemberItem key={m.id} member={m} accounts={accounts} result={result} busy={busy} />
            ))}
          </ul>
        </section>

        <section className="card" aria-labelledby="team-new-h">
          <h2 id="team-new-h">名簿に追加</h2>
          {createFailed ? <Notice tone="error">{result.message}</Notice> : null}
          <Form method="post" noValidate key={result?.ok && result.intent === "create" ? `created-${result.memberId}` : "new"}>
            <MemberFields prefix="new" defaults={createFailed ? result.values : {}} errors={createFailed ? result.errors : {}} accounts={accounts} />
            <button className="button" name="intent" value="create" aria-disabled={busy || undefined}>
              名簿に追加する
            </button>
          </Form>
        </section>
      </div>

      {inactive.length > 0 ? (
        <section className="card" aria-labelledby="team-inactive-h" style={{ marginTop: "1rem" }}>
          <h2 id="team-inactive-h">無効にした人（{inactive.length}人）</h2>
          <p className="small muted">過去の体制の記録には名前が残ります。新しい体制には追加できません。</p>
          <ul className="plain-list team-list">
            {inactive.map((m) => (
              <MemberItem key={m.id} member={m} accounts={accounts} result={result} busy={busy} />
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  );
}

type Member = ReturnType<typeof useLoaderData<typeof loader>>["members"][number];

function MemberItem({ member: m, accounts, result, busy }: { member: Member; accounts: Account[]; result: ActionData | undefined; busy: boolean }) {
  const mine = result && result.memberId === m.id;
  const failed = mine && !result.ok;
  const editFailed = failed && result.intent === "update";
  // The linked account stays choosable when editing (it is not in the "not yet linked" list).
  const choices = m.userId && m.userName && m.userRole ? [{ id: m.userId, name: m.userName, email: m.userEmail ?? "", role: m.userRole }, ...accounts] : accounts;
  return (
    <li className="team-member">
      <div>
        <strong>{m.name}</strong>
        {m.nameKana ? <span className="small muted">（{m.nameKana}）</span> : null} <Badge tone={m.affiliation === "city" ? "ok" : "neutral"}>{STAFF_AFFILIATION_LABELS[m.affiliation]}</Badge>
        {!m.active ? <Badge tone="danger">無効</Badge> : null}
        <div className="small muted">
          {m.phone ? <a href={`tel:${m.phone.replace(/[^\d+]/g, "")}`}>{m.phone}</a> : "電話番号なし"}
          {m.userName ? `・アカウント: ${m.userName}` : "・サインインなし"}
          {m.openSessions > 0 ? `・予定の体制 ${m.openSessions}件` : ""}
        </div>
      </div>
      {failed && !editFailed ? <p className="field-error">{result.message}</p> : null}
      <details open={!!editFailed}>
        <summary>{m.name}さんの登録内容を変更</summary>
        {editFailed ? <Notice tone="error">{result.message}</Notice> : null}
        <Form method="post" noValidate>
          <input type="hidden" name="memberId" value={m.id} />
          <MemberFields
            prefix={`m${m.id}`}
            defaults={editFailed ? result.values : { name: m.name, nameKana: m.nameKana, affiliation: m.affiliation, userId: m.userId, phone: m.phone }}
            errors={editFailed ? result.errors : {}}
            accounts={choices}
          />
          <div className="row">
            <button className="button" name="intent" value="update" aria-disabled={busy || undefined}>
              変更を保存する
            </button>
          </div>
        </Form>
      </details>
      <Form method="post" className="team-member__status">
        <input type="hidden" name="memberId" value={m.id} />
        {m.active ? (
          <button className="button button--secondary button--small" name="intent" value="deactivate" aria-disabled={busy || undefined}>
            {m.name}さんを無効にする
          </button>
        ) : (
          <button className="button button--secondary button--small" name="intent" value="activate" aria-disabled={busy || undefined}>
            {m.name}さんを有効に戻す
          </button>
        )}
      </Form>
    </li>
  );
}
