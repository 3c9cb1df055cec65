// Request-body limits, counted on the bytes actually read (Content-Length is
// only a hint: a `Transfer-Encoding: chunked` body has none). Remix 2 sets no
// limit of its own and `request.formData()` would buffer the whole body.
import { Transform } from "node:stream";

/** Ordinary forms: sign-in, public request, staff edits. */
export const MAX_FORM_BODY = 64 * 1024;
/** CSV imports (organisations, districts). */
export const MAX_UPLOAD_BODY = 12 * 1024 * 1024;
/**
 * Site photo uploads: the largest cap settings.photoMaxMegabytes allows (50 MB,
 * app/settings.ts) plus room for the rest of the form. The route itself cuts
 * the file at the cap set now, with its own message (app/visits/photos.server.ts).
 */
export const MAX_PHOTO_BODY = 51 * 1024 * 1024;

export const TOO_LARGE_MESSAGE = "送信された内容が大きすぎます。内容を短くするか、ファイルを分けてからもう一度お送りください。";

// Single fetch posts to `<path>.data`, so the suffix is allowed.
const UPLOAD_PATHS = [/^\/staff\/(organisations|districts)\/import(\.data)?$/];
const PHOTO_PATHS = [/^\/staff\/visits\/\d+\/photos(\.data)?$/];

/** The most a request to this path may send. */
export function bodyLimitFor(pathname) {
  if (PHOTO_PATHS.some((re) => re.test(pathname))) return MAX_PHOTO_BODY;
  return UPLOAD_PATHS.some((re) => re.test(pathname)) ? MAX_UPLOAD_BODY : MAX_FORM_BODY;
}

export class PayloadTooLargeError extends Error {
  constructor(limit) {
    super(`request body larger than ${limit} bytes`);
    this.name = "PayloadTooLargeError";
    this.limit = limit;
  }
}

/**
 * Answer 413 and close the connection. The rest of the body is read and thrown
 * away for a moment before the socket is destroyed: closing a socket with
 * unread input makes the kernel send a reset, which can destroy the 413 on its
 * way to the client.
 */
export function sendTooLarge(req, res) {
  if (res.headersSent) {
    req.socket.destroy();
    return;
  }
  // No "Connection: close": Node would end the socket as soon as the 413 is written, and a client
  // still sending its body would then see a reset (EPIPE) instead of the answer. The socket is
  // destroyed after the short drain below instead.
  res.status(413).type("text/plain; charset=utf-8").send(TOO_LARGE_MESSAGE);
  const socket = req.socket;
  res.once("finish", () => {
    req.unpipe();
    req.removeAllListeners("data");
    req.resume();
    setTimeout(() => socket.destroy(), 2_000).unref();
  });
}

/**
 * Express middleware: refuse a declared Content-Length over the limit before
 * anything is read (the common case of an honest client with a big file).
 */
export function declaredLengthLimit() {
  return (req, res, next) => {
    const length = Number(req.headers["content-length"] ?? 0);
    if (length > bodyLimitFor(req.path)) return sendTooLarge(req, res);
    next();
  };
}

/**
 * The request body as a Node stream that errors with PayloadTooLargeError
 * once more than `limit` bytes have come in; `onTooLarge` runs at that moment.
 * Backpressure is kept (nothing is buffered beyond the stream's high-water mark),
 * so a client sending gigabytes costs at most the limit.
 */
export function countedBody(req, res, limit, onTooLarge) {
  let seen = 0;
  let cut = false;
  const counter = new Transform({
    transform(chunk, _encoding, callback) {
      seen += chunk.length;
      if (seen > limit) {
        cut = true;
        callback(new PayloadTooLargeError(limit));
        onTooLarge();
        return;
      }
      callback(null, chunk);
    },
  });
  req.on("error", (error) => counter.destroy(error));
  req.pipe(counter);
  // A route that answered without reading the whole body (a redirect to the
  // sign-in page, say): throw the rest away so the connection can be reused,
  // but still only up to the limit.
  res.once("finish", () => {
    if (cut || req.complete) return;
    req.unpipe(counter);
    counter.destroy();
    req.on("data", (chunk) => {
      seen += chunk.length;
      if (seen > limit) req.socket.destroy();
    });
    req.resume();
  });
  return counter;
}
