// Cache rules for responses that depend on who asks, in one place.

/** Paths whose secret token is the key: a request's status page and .ics, personal calendar feeds. */
const TOKEN_PATHS = /^\/(request\/status|feeds)\//;

/**
 * Express middleware (placed after the static files): `Cache-Control: no-store`
 * on every response that depends on a session or a token (the request carries
 * a cookie, the path holds a token, or the response sets a cookie), unless the
 * route chose its own Cache-Control. A response that sets a cookie is always
 * no-store: a cached Set-Cookie would hand one person's session to the next.
 */
export function privateNoStore() {
  return (req, res, next) => {
    const personal = Boolean(req.headers.cookie) || TOKEN_PATHS.test(req.path);
    const writeHead = res.writeHead;
    res.writeHead = function (...args) {
      if (res.hasHeader("Set-Cookie")) res.setHeader("Cache-Control", "no-store");
      else if (personal && !res.hasHeader("Cache-Control")) res.setHeader("Cache-Control", "no-store");
      return writeHead.apply(this, args);
    };
    next();
  };
}

/** The Strict-Transport-Security value when APP_URL is https (two years, subdomains included), else null. */
export function hstsFor(appUrl) {
  return appUrl?.startsWith("https:") ? "max-age=63072000; includeSubDomains" : null;
}
