import type { LoaderFunctionArgs } from "@remix-run/node";
import { audit } from "~/audit.server";
import { requirePermission } from "~/auth.server";
import { readEml } from "~/email/outbox.server";
import { requireId } from "~/lib/ids";
import { clientIp } from "~/request-info.server";

/** Download the .eml kept for an outbox row (when no SMTP server is configured). */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const admin = await requirePermission(request, "admin.outbox");
  const id = requireId(params.id, "ファイルがありません。");
  const eml = readEml(id);
  if (!eml) throw new Response("ファイルがありません。", { status: 404 });
  audit({ userId: admin.id, action: "outbox.download", entity: "email_outbox", entityId: id, ip: clientIp(request) });
  return new Response(new Uint8Array(eml), {
    headers: { "Content-Type": "message/rfc822", "Content-Disposition": `attachment; filename="mail-${id}.eml"`, "Cache-Control": "no-store" },
  });
}
