// The process entry of `npm start`: builds the app when no build exists, then
// serves it with Express (security headers, body-size limit, client address)
// and starts the app's background work (migrations, demo data, outbox worker).
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { execSync } from "node:child_process";
import { fileURLToPath, pathToFileURL } from "node:url";
import express from "express";
import { createRequestHandler } from "@remix-run/express";

// React and Remix pick their production builds from NODE_ENV; `npm start` is production unless told otherwise.
process.env.NODE_ENV ??= "production";
const root = path.dirname(fileURLToPath(import.meta.url));
process.chdir(root);
const buildPath = path.join(root, "build/index.js");
const mode = process.env.NODE_ENV === "development" ? "development" : "production";

/** Newest modification time below the given folders (to tell whether the build is stale). */
function newestSource(paths) {
  let newest = 0;
  const walk = (p) => {
    const stat = fs.statSync(p, { throwIfNoEntry: false });
    if (!stat) return;
    if (stat.isDirectory()) for (const name of fs.readdirSync(p)) walk(path.join(p, name));
    else newest = Math.max(newest, stat.mtimeMs);
  };
  paths.forEach((p) => walk(path.join(root, p)));
  return newest;
}

const buildTime = fs.statSync(buildPath, { throwIfNoEntry: false })?.mtimeMs ?? 0;
if (mode === "production" && buildTime < newestSource(["app", "emails", "db/schema.ts", "db/demo", "remix.config.js", "package-lock.json"])) {
  console.log(buildTime ? "ソースが更新されたため再ビルドします (remix build)…" : "ビルドがないため作成します (remix build)…");
  execSync("npx remix build", { stdio: "inherit", cwd: root });
}

const load = () => import(`${pathToFileURL(buildPath).href}?t=${Date.now()}`);
let build = await load();
await build.entry.module.boot();

const app = express();
app.disable("x-powered-by");
app.set("trust proxy", false);

// The client address comes from the socket only; a header sent by the client is dropped.
app.use((req, res, next) => {
  delete req.headers["x-demado-client-ip"];
  req.headers["x-demado-client-ip"] = req.socket.remoteAddress ?? "";
  res.locals.cspNonce = crypto.randomBytes(16).toString("base64");
  res.setHeader("X-Content-Type-Options", "nosniff");
  res.setHeader("Referrer-Policy", "same-origin");
  res.setHeader("X-Frame-Options", "DENY");
  res.setHeader("Permissions-Policy", "camera=(), microphone=(), geolocation=()");
  next();
});

// Refuse oversized bodies before Remix reads them (uploads have their own route limits).
const MAX_BODY = 64 * 1024;
const MAX_UPLOAD = 12 * 1024 * 1024;
app.use((req, res, next) => {
  const limit = req.path.includes("/photos") || req.path.includes("/import") ? MAX_UPLOAD : MAX_BODY;
  const length = Number(req.headers["content-length"] ?? 0);
  if (length > limit) {
    res.status(413).type("text/plain; charset=utf-8").send("送信された内容が大きすぎます。内容を短くしてからもう一度お送りください。");
    return;
  }
  next();
});

app.use("/build", express.static("public/build", { immutable: true, maxAge: "1y" }));
app.use(express.static("public", { maxAge: "1h" }));

app.all(
  "*",
  mode === "development"
    ? async (req, res, next) => {
        build = await load();
        return createRequestHandler({ build, mode, getLoadContext: (_req, res) => ({ cspNonce: res.locals.cspNonce }) })(req, res, next);
      }
    : createRequestHandler({ build, mode, getLoadContext: (_req, res) => ({ cspNonce: res.locals.cspNonce }) }),
);

const port = Number(process.env.PORT ?? 3000);
const server = app.listen(port, () => {
  console.log(`demado: http://localhost:${port}`);
  if (mode === "development" && process.send) {
    import("@remix-run/node").then(({ broadcastDevReady }) => broadcastDevReady(build));
  }
});

let stopping = false;
async function shutdown() {
  if (stopping) return;
  stopping = true;
  server.close();
  server.closeIdleConnections?.();
  setTimeout(() => process.exit(0), 15_000).unref();
  // Await the app's shutdown: the outbox finishes or hands back its claimed emails, then the database closes.
  await build.entry.module.shutdown?.();
  process.exit(0);
}
process.on("SIGTERM", shutdown);
process.on("SIGINT", shutdown);
