import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { requirePermission } from "~/auth.server";
import { Notice, PageHeader } from "~/components/ui";
import { OrganisationForm } from "~/crm/OrganisationForm";
import { createOrganisation, listDistrictOptions, listStaffOptions } from "~/crm/organisations.server";

export const meta: MetaFunction = () => [{ title: "団体を登録 | 出張申請窓口" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "crm.edit");
  return { districts: listDistrictOptions(), staff: listStaffOptions(), userId: user.id };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, "crm.edit");
  const form = Object.fromEntries(await request.formData());
  const result = createOrganisation(form, user.id);
  if (!result.ok) return { errors: result.errors, values: form as Record<string, string> };
  throw redirect(`/staff/organisations/${result.id}`);
}

export default function NewOrganisation() {
  const d = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const navigation = useNavigation();
  return (
    <div className="page page--narrow">
      <PageHeader title="団体を登録" />
      {data?.errors ? <Notice tone="error">入力内容を確認してください。</Notice> : null}
      <OrganisationForm
        values={data?.values ?? { ownerId: d.userId }}
        errors={data?.errors}
        districts={d.districts}
        staff={d.staff}
        intent="create"
        submitLabel="登録する"
        busy={navigation.state === "submitting"}
      />
    </div>
  );
}
