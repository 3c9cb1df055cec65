/**
 * Byte budgets of npm run bench (issue 14): the JavaScript and CSS a phone
 * downloads per page, brotli-compressed as the server sends them (the .br
 * copies written at build time). Public pages are read from their HTML as the
 * real server.mjs serves it (module preloads and imports: a page without
 * scripts counts 0); staff pages from Remix's manifest (entry, root and the
 * route with their chunks). tests/integration/server/asset-budgets.test.ts
 * checks the same budgets in npm test.
 */
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import type { BenchContext } from "./run";
import { startServer } from "../support/server";

type Manifest = { entry: { module: string; imports?: string[] }; routes: Record<string, { module: string; imports?: string[] }> };

const assets = path.resolve("public/build");

/** Brotli KiB of a build file as sent: its .br copy (or the file compressed now, when there is none). */
function brKiB(url: string): number {
  const file = path.join(assets, url.replace(/^\/build\//, ""));
  const copy = `${file}.br`;
  return (fs.existsSync(copy) ? fs.statSync(copy).size : zlib.brotliCompressSync(fs.readFileSync(file)).length) / 1024;
}

/** Scripts a page's HTML loads: module preloads, script elements and its inline module script's imports. */
function scriptsIn(html: string): string[] {
  const loads = [/<link rel="modulepreload" href="([^"]+)"/g, /<script\b[^>]*\bsrc="([^"]+)"/g, /^import \* as \w+ from "([^"]+)";$/gm, /^import "([^"]+)";$/gm];
  return [...new Set(loads.flatMap((re) => [...html.matchAll(re)].map((m) => m[1])))];
}

export async function byteBudgets({ record, defer }: Pick<BenchContext, "record" | "defer">) {
  const manifestFile = fs.existsSync(assets) ? fs.readdirSync(assets).find((f) => /^manifest-.*\.js$/.test(f)) : undefined;
  if (!manifestFile) {
    console.log("(public/build がないためサイズ予算は省略: 先に npm run build)");
    return;
  }
  const text = fs.readFileSync(path.join(assets, manifestFile), "utf8");
  const manifest = JSON.parse(text.slice(text.indexOf("{"), text.lastIndexOf("}") + 1)) as Manifest;

  const server = await startServer({ demoData: true });
  defer(() => server.stop());
  const db = server.db();
  const token = db.prepare("select status_token from visit_requests order by id limit 1").pluck().get() as string;
  db.close();
  const pages: [string, string, number][] = [
    ["/", "/", 5],
    ["/schedule", "/schedule", 5],
    ["/login", "/login", 5],
    ["a status page", `/request/status/${token}`, 5],
    ["/request", "/request", 100],
  ];
  for (const [label, urlPath, limit] of pages) {
    const html = await (await fetch(`${server.url}${urlPath}`)).text();
    record(`JS for ${label} (brotli, as sent)`, scriptsIn(html).reduce((sum, u) => sum + brKiB(u), 0), limit, "KiB");
  }
  await server.stop();

  const pageKiB = (routeId: string) => {
    const urls = new Set<string>();
    for (const part of [manifest.entry, manifest.routes.root, manifest.routes[routeId]]) {
      urls.add(part.module);
      part.imports?.forEach((u) => urls.add(u));
    }
    return [...urls].reduce((sum, u) => sum + brKiB(u), 0);
  };
  const staff = Object.keys(manifest.routes).filter((id) => /^routes\/(staff|admin|calendar|city|reports|progress|incidents|account)\b/.test(id));
  const heaviest = staff.map((id) => [id, pageKiB(id)] as const).sort((a, b) => b[1] - a[1])[0];
  record(`JS for the heaviest staff page, ${heaviest[0].replace(/^routes\//, "")} (brotli)`, heaviest[1], 400, "KiB");
  record("JS for /calendar before FullCalendar loads (brotli)", pageKiB("routes/calendar._index"), 400, "KiB");
  // The charts are server-rendered SVG: no charting library reaches the phone (130 KiB gzip before issue 14).
  record("JS for /progress (brotli)", pageKiB("routes/progress"), 110, "KiB");

  const css = fs.readdirSync(assets, { recursive: true }).map(String).filter((f) => f.endsWith(".css"));
  // FullCalendar's sheets are links of the calendar route only (docs/decisions/011).
  const calendarCss = css.filter((f) => /(skeleton|theme|palette)-\w+\.css$/.test(f));
  record("CSS every page links (brotli)", css.filter((f) => !calendarCss.includes(f)).reduce((s, f) => s + brKiB(`/build/${f}`), 0), 30, "KiB");
  record("CSS on /calendar (brotli)", css.reduce((s, f) => s + brKiB(`/build/${f}`), 0), 30, "KiB");
}
