// The process entry of `npm start`: builds the app when no build exists, then
// serves it with Express and starts the app's background work (migrations,
// demo data, outbox worker). The HTTP rules live in app/http/ and are wired
// here in order: client address and security headers, compression, static
// files, the cross-site check, body limits, no-store for private responses,
// Remix.
import crypto from "node:crypto";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import express from "express";
import { declaredLengthLimit } from "./app/http/body-limit.mjs";
import { ensureBuild } from "./app/http/build.mjs";
import { hstsFor, privateNoStore } from "./app/http/caching.mjs";
import { dynamicCompression, precompressedHeaders, precompressedStatic } from "./app/http/compression.mjs";
import { sameOriginOnly } from "./app/http/origin.mjs";
import { clientAddress, parseTrustProxy } from "./app/http/proxy.mjs";
import { createRequestHandler } from "./app/http/remix-handler.mjs";
import { gracefulShutdown } from "./app/http/shutdown.mjs";

// React and Remix pick their production builds from NODE_ENV; `npm start` is production unless told otherwise.
process.env.NODE_ENV ??= "production";
const root = path.dirname(fileURLToPath(import.meta.url));
process.chdir(root);
const buildPath = path.join(root, "build/index.js");
const mode = process.env.NODE_ENV === "development" ? "development" : "production";
const port = Number(process.env.PORT ?? 3000);
const appUrl = (process.env.APP_URL || `http://localhost:${port}`).replace(/\/$/, "");

// A wrong TRUST_PROXY is a configuration error: stop before serving anyone.
let trustProxy;
try {
  trustProxy = parseTrustProxy(process.env.TRUST_PROXY);
} catch (error) {
  console.error(error.message);
  process.exit(1);
}

// Also writes the build's compressed copies (app/http/compression.mjs) when missing.
if (mode === "production") ensureBuild(root);
const load = () => import(`${pathToFileURL(buildPath).href}?t=${Date.now()}`);
let build = await load();
await build.entry.module.boot();

const app = express();
app.disable("x-powered-by");
app.set("trust proxy", trustProxy);
const hsts = hstsFor(appUrl);

// Filled in once the server listens; its middleware marks responses while draining.
let drainingHeader = (_req, _res, next) => next();
app.use((req, res, next) => drainingHeader(req, res, next));

app.use(clientAddress());
app.use((_req, res, next) => {
  res.locals.cspNonce = crypto.randomBytes(16).toString("base64");
  res.setHeader("X-Content-Type-Options", "nosniff");
  res.setHeader("Referrer-Policy", "same-origin");
  res.setHeader("X-Frame-Options", "DENY");
  res.setHeader("Permissions-Policy", "camera=(), microphone=(), geolocation=()");
  if (hsts) res.setHeader("Strict-Transport-Security", hsts);
  next();
});

app.use(dynamicCompression());
app.use("/build", precompressedStatic("public/build"), express.static("public/build", { immutable: true, maxAge: "1y", setHeaders: precompressedHeaders }));
app.use(express.static("public", { maxAge: "1h" }));

app.use(sameOriginOnly({ appUrl }));
app.use(declaredLengthLimit());
app.use(privateNoStore());

app.all(
  "*",
  createRequestHandler({
    mode,
    // In development every request sees the newest build.
    getBuild: mode === "development" ? async () => (build = await load()) : () => build,
    getLoadContext: (_req, res) => ({ cspNonce: res.locals.cspNonce }),
  }),
);

const server = app.listen(port, () => {
  console.log(`demado: http://localhost:${server.address().port}`);
  if (mode === "development" && process.send) {
    import("@remix-run/node").then(({ broadcastDevReady }) => broadcastDevReady(build));
  }
});

// SIGTERM / SIGINT: drain HTTP, then the app's shutdown() (awaited: timers,
// outbox), then the database, then exit.
drainingHeader = gracefulShutdown(server, {
  onDrained: async () => {
    await build.entry.module.shutdown?.();
    build.entry.module.closeDb?.();
  },
});
