// Our copy of @remix-run/express's request handler (v2.17), changed in one
// place: the body Remix reads is counted and cut at the path's limit, with a
// 413 instead of whatever the route would have answered. Everything else
// (URL from Host/X-Forwarded-Host, abort on disconnect, response writing)
// follows the adapter (its helpers are not exported, so they are copied).
import { createReadableStreamFromReadable, createRequestHandler as createRemixHandler } from "@remix-run/node";
import { bodyLimitFor, countedBody, sendTooLarge } from "./body-limit.mjs";
import { createPageCache } from "./page-cache.mjs";

/** Express handler that serves the Remix build; `getBuild` may return a new build per request (development). */
export function createRequestHandler({ getBuild, mode, getLoadContext }) {
  let handle;
  let handledBuild;
  // Anonymous public pages rendered once per data version (production only: development rebuilds).
  let pageCache = null;
  return async (req, res, next) => {
    const state = { tooLarge: false };
    try {
      const build = await getBuild();
      if (build !== handledBuild) {
        handle = createRemixHandler(build, mode);
        handledBuild = build;
        pageCache = mode === "production" ? createPageCache() : null;
      }
      const request = createRemixRequest(req, res, state);
      let loadContext = await getLoadContext?.(req, res);
      // Keyed by the URL Remix sees (X-Forwarded-Host and -Proto included when TRUST_PROXY believes them).
      const ticket = pageCache?.ticket(req, request.url, build.entry.module.pageCacheVersion);
      if (ticket) {
        loadContext = { ...loadContext, perResponse: [] };
        if (pageCache.serve(ticket, res, loadContext)) return;
      }
      let response = await handle(request, loadContext);
      if (ticket) response = await pageCache.keep(ticket, response, loadContext);
      // The 413 is already on its way; whatever the route made of a cut body is dropped.
      if (state.tooLarge) return;
      await sendRemixResponse(res, response);
    } catch (error) {
      if (state.tooLarge) return;
      next(error);
    }
  };
}

function createRemixRequest(req, res, state) {
  const [, forwardedPort] = req.get("X-Forwarded-Host")?.split(":") ?? [];
  const [, hostPort] = req.get("host")?.split(":") ?? [];
  const port = [forwardedPort, hostPort].map((p) => Number.parseInt(p, 10)).find((p) => Number.isSafeInteger(p)) ?? "";
  const url = new URL(`${req.protocol}://${req.hostname}${port ? `:${port}` : ""}${req.originalUrl}`);

  let controller = new AbortController();
  const init = { method: req.method, headers: createRemixHeaders(req.headers), signal: controller.signal };
  if (req.method !== "GET" && req.method !== "HEAD") {
    const body = countedBody(req, res, bodyLimitFor(req.path), () => {
      state.tooLarge = true;
      // Aborting tells Remix (and entry.server's handleError) that nobody waits for this answer.
      controller?.abort();
      sendTooLarge(req, res);
    });
    init.body = createReadableStreamFromReadable(body);
    init.duplex = "half";
  }
  // As in the adapter: abort loaders and actions when the client goes away before the response is done.
  res.on("finish", () => (controller = null));
  res.on("close", () => controller?.abort());
  return new Request(url.href, init);
}

function createRemixHeaders(requestHeaders) {
  const headers = new Headers();
  for (const [key, values] of Object.entries(requestHeaders)) {
    if (!values) continue;
    if (Array.isArray(values)) for (const value of values) headers.append(key, value);
    else headers.set(key, values);
  }
  return headers;
}

async function sendRemixResponse(res, response) {
  res.statusMessage = response.statusText;
  res.status(response.status);
  for (const [key, value] of response.headers.entries()) res.append(key, value);
  if (response.headers.get("Content-Type")?.match(/text\/event-stream/i)) res.flushHeaders();
  if (response.body) await writeStream(response.body, res);
  else res.end();
}

/**
 * The adapter's writeReadableStreamToWritable, with one change: it flushed
 * after every chunk, and each flush makes the compressor (app/http/compression.mjs)
 * close a block, a trip to zlib's thread pool per 2 KB of HTML. Here the chunks
 * ready in one turn of the event loop are flushed together; what React streams
 * later (deferred data) still leaves as soon as it is written.
 */
async function writeStream(stream, res) {
  const reader = stream.getReader();
  let flushQueued = false;
  const flush = () => {
    flushQueued = false;
    if (!res.writableEnded) res.flush?.();
  };
  try {
    while (true) {
      const { done, value } = await reader.read();
      if (done) {
        res.end();
        break;
      }
      res.write(value);
      if (!flushQueued && typeof res.flush === "function") {
        flushQueued = true;
        setImmediate(flush);
      }
    }
  } catch (error) {
    res.destroy(error);
    throw error;
  }
}
