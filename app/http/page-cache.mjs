// A render cache for anonymous GETs of the public pages (docs/decisions/012-page-cache.md).
//
// What may be cached: GET of a path in PUBLIC_PAGES, from a request with no
// Cookie header at all (so never a signed-in page, whatever the cookie holds),
// answered 200 as HTML without Set-Cookie. The key is the full URL Remix
// renders the page for (scheme and host as it sees them, query included). An entry is kept with the data version it was
// rendered under (the build's pageCacheVersion(): today's date in Tokyo plus
// SQLite's PRAGMA data_version and total_changes(), so any committed write,
// from this process or another, and midnight make every entry stale at once).
//
// Per-response secrets: the CSP nonce and any value a loader registered with
// perResponse() (app/lib/per-response.server.ts, e.g. the form's idempotency
// key) are cut out of the stored bytes and headers; each hit gets fresh ones
// (the nonce server.mjs made for this response, a new value from the same
// generator for the others), so no two responses share them.

/** Pages an anonymous visitor sees the same as every other anonymous visitor. */
const PUBLIC_PAGES = new Set(["/", "/request", "/schedule", "/login"]);

/** At most this many URLs (query strings vary): the oldest is dropped first. */
const MAX_ENTRIES = 200;

/**
 * @param {{ maxEntries?: number }} [options]
 */
export function createPageCache({ maxEntries = MAX_ENTRIES } = {}) {
  /**
   * Each entry: the bytes and header values cut at the secrets (`slots[i]` is
   * the secret between part i and i+1; 0 is the nonce).
   * @type {Map<string, { version: string, status: number, headers: Array<{ name: string, parts: string[], slots: number[] }>, body: Buffer[], slots: number[], secrets: Array<{ make?: () => string }> }>}
   */
  const entries = new Map();

  return {
    /**
     * A ticket when this request may be answered from or stored in the cache
     * (null otherwise). `version` is the build's pageCacheVersion, read now,
     * before anything is rendered: an entry stored under it is never served
     * once a later write has moved the version on.
     */
    ticket(req, url, versionOf) {
      if (req.method !== "GET" || req.headers.cookie !== undefined || typeof versionOf !== "function") return null;
      if (!PUBLIC_PAGES.has(req.path)) return null;
      return { key: url, version: String(versionOf()) };
    },

    /** Answer from the cache when a fresh entry exists; true when answered. */
    serve(ticket, res, loadContext) {
      const entry = entries.get(ticket.key);
      if (!entry || entry.version !== ticket.version) return false;
      // Most recently used last.
      entries.delete(ticket.key);
      entries.set(ticket.key, entry);
      const fresh = entry.secrets.map((s, i) => (i === 0 ? String(loadContext?.cspNonce ?? "") : s.make()));
      res.status(entry.status);
      for (const h of entry.headers) res.append(h.name, h.parts.reduce((text, part, i) => text + fresh[h.slots[i - 1]] + part));
      const chunks = [entry.body[0]];
      for (let i = 0; i < entry.slots.length; i++) chunks.push(Buffer.from(fresh[entry.slots[i]]), entry.body[i + 1]);
      res.end(Buffer.concat(chunks));
      return true;
    },

    /**
     * Store a rendered response when it qualifies; returns the Response to
     * send (the same bytes, read into memory when they were stored).
     */
    async keep(ticket, response, loadContext) {
      const type = response.headers.get("Content-Type") ?? "";
      if (response.status !== 200 || !response.body || response.headers.has("Set-Cookie") || !type.startsWith("text/html")) return response;
      const body = Buffer.from(await response.arrayBuffer());
      const nonce = loadContext?.cspNonce;
      // Slot 0 is the nonce; the others are what loaders registered. Empty values cannot be cut out.
      const secrets = [{ value: nonce ?? "" }, ...(loadContext?.perResponse ?? [])];
      // A secret too short to be unique in the page cannot be cut out safely: such a page is not stored.
      if (secrets.some((s, i) => (i === 0 ? s.value !== "" && s.value.length < 16 : s.value.length < 16 || typeof s.make !== "function")))
        return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
      const cut = cutter(secrets.map((s) => s.value));
      const { parts, slots } = cut(body);
      const headers = [];
      for (const [name, value] of response.headers.entries()) {
        const h = cut(Buffer.from(value));
        headers.push({ name, parts: h.parts.map(String), slots: h.slots });
      }
      entries.delete(ticket.key);
      entries.set(ticket.key, { version: ticket.version, status: response.status, headers, body: parts, slots, secrets: secrets.map((s) => ({ make: s.make })) });
      while (entries.size > maxEntries) entries.delete(entries.keys().next().value);
      return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
    },

    /** How many pages are stored (for tests). */
    get size() {
      return entries.size;
    },
  };
}

/** Split bytes at every occurrence of any of `values`: parts between them and which value each cut was. */
function cutter(values) {
  const needles = values.map((v, slot) => ({ slot, bytes: Buffer.from(v) })).filter((n) => n.bytes.length > 0);
  return (buffer) => {
    const parts = [];
    const slots = [];
    let start = 0;
    for (;;) {
      let best = null;
      for (const n of needles) {
        const at = buffer.indexOf(n.bytes, start);
        if (at !== -1 && (best === null || at < best.at)) best = { at, n };
      }
      if (!best) break;
      parts.push(buffer.subarray(start, best.at));
      slots.push(best.n.slot);
      start = best.at + best.n.bytes.length;
    }
    parts.push(buffer.subarray(start));
    return { parts, slots };
  };
}
