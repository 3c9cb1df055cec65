// Whether the Remix build is older than its sources, and rebuilding it if so.
// Used by server.mjs (`npm start` on a fresh checkout) and by the tests that
// start the real server (once per run, before any server starts).
import fs from "node:fs";
import path from "node:path";
import { execSync } from "node:child_process";
import { precompressBuild } from "./compression.mjs";

const SOURCES = ["app", "emails", "db/schema.ts", "db/demo", "remix.config.js", "package-lock.json"];

/** Newest modification time below the given paths. */
function newestSource(root, paths) {
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

/**
 * Run `remix build` when build/index.js is missing or older than a source file,
 * then write the compressed copies of its assets that are missing (a build made
 * by `npx remix build` alone has none; a few seconds, once).
 */
export function ensureBuild(root) {
  const buildTime = fs.statSync(path.join(root, "build/index.js"), { throwIfNoEntry: false })?.mtimeMs ?? 0;
  if (buildTime < newestSource(root, SOURCES)) {
    console.log(buildTime ? "ソースが更新されたため再ビルドします (remix build)…" : "ビルドがないため作成します (remix build)…");
    execSync("npx remix build", { stdio: "inherit", cwd: root, env: { ...process.env, NODE_ENV: "production" } });
  }
  precompressBuild(path.join(root, "public/build"));
}
