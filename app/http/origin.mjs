// Cross-site request refusal (CSRF), in one place for every route.
//
// A state-changing request (anything but GET, HEAD, OPTIONS) must come from one
// of the app's own pages. Its source is the `Origin` header, or the origin of
// `Referer` when Origin is missing. It is accepted when that source is
//   - the origin of APP_URL (how the app is reached in production), or
//   - the origin the request itself was sent to: its scheme (X-Forwarded-Proto
//     only under TRUST_PROXY) and its Host (X-Forwarded-Host only under
//     TRUST_PROXY), so `npm start` opened as localhost, 127.0.0.1 or a LAN
//     address works without configuration. A browser cannot put another
//     site's name in Host, and a page whose name resolves to this server (DNS
//     rebinding) gets no session cookie, which belongs to the real name.
// A request with neither header is accepted: browsers send Origin on every
// cross-site POST (and on same-origin ones), so only non-browser clients
// (curl, scripts, tests) send none, and they carry no victim's cookie.
// `Origin: null` (sandboxed frames, privacy redirects) is refused, except with
// `Sec-Fetch-Site: same-origin`: a page that sets `<meta name="referrer"
// content="no-referrer">` (the status page, whose address is a secret) makes
// the browser send `Origin: null` on its own plain form posts, and
// Sec-Fetch-Site, which the browser sets and no page can, says the post came
// from this site (docs/decisions/013: that page ships no JavaScript). Such a
// post then reaches Remix without the `null` Origin, which Remix would refuse.

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export const CROSS_SITE_MESSAGE = "別のサイトから送られた操作のため受け付けませんでした。このサイトの画面を開き直してから操作してください。";

function originOf(value) {
  try {
    const url = new URL(value);
    return url.protocol === "http:" || url.protocol === "https:" ? url.origin : null;
  } catch {
    return null;
  }
}

/** The origin this request was addressed to, as the browser saw it. */
function requestOrigin(req) {
  const trusted = req.app.get("trust proxy fn")(req.socket.remoteAddress, 0);
  const forwardedHost = trusted ? req.get("X-Forwarded-Host")?.split(",")[0].trim() : undefined;
  const host = forwardedHost || req.get("Host");
  return host ? originOf(`${req.protocol}://${host}`) : null;
}

/** Express middleware: 403 for a state-changing request from another origin. */
export function sameOriginOnly({ appUrl }) {
  const appOrigin = appUrl ? originOf(appUrl) : null;
  return (req, res, next) => {
    if (SAFE_METHODS.has(req.method)) return next();
    const origin = req.get("Origin");
    const referer = req.get("Referer");
    if (origin === undefined && referer === undefined) return next();
    if (origin === "null" && req.get("Sec-Fetch-Site") === "same-origin") {
      // Remix's own check answers a document POST with `Origin: null` with a 500: past this point the post
      // is known to be ours, so it goes on as a browser's post without an Origin would.
      delete req.headers.origin;
      return next();
    }
    const source = origin !== undefined ? originOf(origin) : originOf(referer);
    if (source && (source === appOrigin || source === requestOrigin(req))) return next();
    res.status(403).type("text/plain; charset=utf-8").send(CROSS_SITE_MESSAGE);
  };
}
