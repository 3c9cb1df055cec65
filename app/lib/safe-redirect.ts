/**
 * The one check for redirect targets that come from input (?redirectTo=…).
 *
 * Prefix checks ("starts with / but not //") are not enough: browsers drop
 * tabs and newlines, so "/\t/evil.example" becomes "//evil.example", and a
 * newline left in a Location header makes Headers throw (a 500). So the target
 * is resolved the way a browser would, against our own origin; anything that
 * lands elsewhere gives the fallback, and only path, query and hash are kept
 * (serialised by URL, so no control characters survive).
 */
export function safeRedirect(to: unknown, opts: { origin: string; fallback: string }): string {
  if (typeof to !== "string" || to === "" || to.length > 2000) return opts.fallback;
  let url: URL;
  let origin: string;
  try {
    origin = new URL(opts.origin).origin;
    url = new URL(to, origin);
  } catch {
    return opts.fallback;
  }
  if (url.origin !== origin) return opts.fallback;
  const target = `${url.pathname}${url.search}${url.hash}`;
  // "/.//evil.example" resolves on our origin to the path "//evil.example",
  // which a browser reads as another host when it is sent back as Location.
  if (!target.startsWith("/") || target.startsWith("//") || target.startsWith("/\\")) return opts.fallback;
  return target;
}
