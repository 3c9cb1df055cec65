/**
 * Values that must differ in every response of a page (a form's idempotency
 * key). The page cache (app/http/page-cache.mjs) keeps anonymous public
 * pages rendered; a value made here is registered on the load context, cut
 * out of the stored page, and replaced by a fresh one from the same
 * generator on every response served from the cache. Random tokens of at
 * least 16 characters only: the cache finds them by their text.
 */
import type { AppLoadContext } from "@remix-run/node";

type PerResponseContext = { perResponse?: Array<{ value: string; make: () => string }> };

export function perResponse(context: AppLoadContext | undefined, make: () => string): string {
  const value = make();
  (context as PerResponseContext | undefined)?.perResponse?.push({ value, make });
  return value;
}
