/** Reading a public form body with a size cap (server.mjs refuses large Content-Length; this also covers chunked bodies). */
export const MAX_FORM_BYTES = 64 * 1024;

export class BodyTooLargeError extends Error {}

export async function readFormLimited(request: Request, max = MAX_FORM_BYTES): Promise<FormData | URLSearchParams> {
  const declared = Number(request.headers.get("content-length") ?? 0);
  if (declared > max) throw new BodyTooLargeError();
  const type = request.headers.get("content-type") ?? "";
  if (!request.body) return new URLSearchParams();
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel().catch(() => {});
      throw new BodyTooLargeError();
    }
    chunks.push(value);
  }
  const bytes = Buffer.concat(chunks);
  if (type.startsWith("multipart/form-data")) {
    // A multipart body that does not parse (no or wrong boundary, cut short) is the sender's fault: 400, not a 500.
    return new Response(bytes, { headers: { "content-type": type } }).formData().catch(() => {
      throw new Response("送信された内容を読み取れませんでした。ページを読み込み直してから、もう一度お送りください。", { status: 400 });
    });
  }
  return new URLSearchParams(bytes.toString("utf8"));
}

/** Form entries as plain strings (files and repeated keys ignored beyond the first). */
export function formObject(form: FormData | URLSearchParams): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of form.entries()) if (typeof v === "string" && !(k in out)) out[k] = v;
  return out;
}
