/**
 * Strict parsing of record ids from URLs and forms.
 *
 * Number() reads "0x10" as 16, "1e1" as 10, " 16" as 16 and "" as 0, and
 * parseInt() reads "16abc" as 16: a typo or a crafted link would then open
 * or change another record. Only plain decimal digits without a leading zero
 * are ids; 16 digits at most, so every id is a safe integer.
 */
const ID_PATTERN = /^[1-9]\d{0,15}$/;

/** The id, or null when the value is not exactly a positive decimal integer. */
export function parseId(value: unknown): number | null {
  if (typeof value !== "string" || !ID_PATTERN.test(value)) return null;
  const id = Number(value);
  return Number.isSafeInteger(id) ? id : null;
}

/** A 404 for the root error boundary (Japanese message for the page). */
export function notFound(message = "お探しの情報が見つかりません。画面を再読み込みするか、一覧から開き直してください。"): Response {
  return new Response(message, { status: 404, statusText: "Not Found", headers: { "Content-Type": "text/plain; charset=utf-8" } });
}

/** The id, or a thrown 404 (for $id params and id fields that must name a record). */
export function requireId(value: unknown, message?: string): number {
  const id = parseId(value);
  if (id == null) throw notFound(message);
  return id;
}
