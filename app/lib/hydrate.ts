// Which pages ship JavaScript (issue 14, docs/decisions/013-pages-without-javascript.md).

/** A route's `handle`: `hydrate: false` for a page that works as plain HTML (links and plain form posts). */
export type PageHandle = { hydrate?: boolean };

/** Routes export this as `handle` when their page needs no JavaScript. */
export const PLAIN_HTML: PageHandle = { hydrate: false };

/**
 * Whether the server sends Remix's scripts with this page: not when any
 * matched route opts out, and not for the root error page (a message and
 * links). In the browser the answer is always yes: code only runs there on a
 * page that was hydrated, and a client-side navigation to a plain page keeps
 * the scripts already loaded (and scroll restoration) working.
 */
export function pageHydrates(matches: { handle?: unknown }[], rootError: unknown): boolean {
  if (typeof document !== "undefined") return true;
  if (rootError) return false;
  return !matches.some((m) => (m.handle as PageHandle | undefined)?.hydrate === false);
}
