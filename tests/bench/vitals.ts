/**
 * Lab Web Vitals for `npm run bench` (issue 14): the public pages as a phone on a weak signal gets them, in the
 * system's real Chromium (/usr/bin/chromium, or CHROMIUM_PATH), from the real `node server.mjs` on the production
 * build with the demo data.
 *
 * - Lighthouse 12 with its default configuration, which is the mobile preset: a Moto G Power screen, simulated slow
 *   4G (150 ms RTT, 1.6 Mbit/s) and a 4× CPU slowdown. Performance and accessibility scores for `/`, `/request`,
 *   `/schedule` and a status page; LCP and CLS for `/request` and `/schedule`.
 * - INP while typing into `/request`, which Lighthouse's navigation mode cannot measure: Playwright drives the form
 *   under DevTools emulation (the same phone, 4× CPU, slow 4G as Lighthouse's "devtools" throttling applies it) and
 *   the `web-vitals` library reports INP from the browser's event timing.
 *
 * Each figure is the median of BENCH_VITALS_RUNS runs (default 3); every run is printed, so the noise is visible.
 * The median Lighthouse report of each page is kept as HTML in .cache/bench-vitals/ for the details, and the main
 * causes of a miss are printed under the runs. Every Chromium this starts is killed when the run ends, however it
 * ends.
 */
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { performance } from "node:perf_hooks";
import { startServer, type RunningServer } from "../support/server";
import type { BenchContext } from "./run";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const RUNS = Math.max(1, Number(process.env.BENCH_VITALS_RUNS ?? 3));
const REPORTS = path.resolve(".cache/bench-vitals");

// The thresholds of issue 14.
const MIN_PERFORMANCE = 0.95;
const MIN_ACCESSIBILITY = 1;
const MAX_LCP_MS = 1500;
const MAX_CLS = 0.05;
const MAX_INP_MS = 100;

type LhRun = { performance: number; accessibility: number; lcp: number; cls: number; fcp: number; tbt: number; html: string; lhr: Lhr };
// The parts of Lighthouse's result this file reads (its own types describe far more).
type LhAudit = {
  id: string;
  title: string;
  score: number | null;
  scoreDisplayMode: string;
  numericValue?: number;
  displayValue?: string;
  details?: { type: string; items?: Array<Record<string, unknown>> };
};
type Lhr = {
  categories: Record<string, { score: number | null; auditRefs: Array<{ id: string; weight: number }> }>;
  audits: Record<string, LhAudit>;
  runWarnings: string[];
  runtimeError?: { code: string; message: string };
  environment?: { benchmarkIndex?: number };
};

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export const vitals = {
  name: "Web Vitals (Lighthouse mobile + INP, real Chromium)",
  async run(ctx: BenchContext) {
    if (!fs.existsSync(CHROMIUM)) {
      throw new Error(`Chromium が見つかりません: ${CHROMIUM}。Debian なら apt install chromium で入れるか、CHROMIUM_PATH でパスを指定してください。`);
    }
    fs.mkdirSync(REPORTS, { recursive: true });

    // A fresh database with the demo data, as a visitor sees the site (own folder, removed on stop).
    const t0 = performance.now();
    const server: RunningServer = await startServer({ demoData: true, port: process.env.BENCH_PORT ? Number(process.env.BENCH_PORT) : undefined });
    ctx.defer(() => server.stop());
    process.stdout.write(`  server.mjs with demo data on ${server.url} (started in ${Math.round(performance.now() - t0)} ms)\n`);
    try {
      const token = prepareData(server);
      const pages: Record<string, { path: string; loadMetrics: boolean }> = {
        "/": { path: "/", loadMetrics: false },
        "/request": { path: "/request", loadMetrics: true },
        "/schedule": { path: "/schedule", loadMetrics: true },
        "status page": { path: `/request/status/${token}`, loadMetrics: false },
      };
      // Warm the server (its first render of each route compiles and caches); Lighthouse measures the steady state.
      for (const page of Object.values(pages)) {
        for (let i = 0; i < 3; i++) {
          const res = await fetch(server.url + page.path);
          await res.arrayBuffer();
          if (res.status !== 200) throw new Error(`GET ${page.path}: ${res.status}\n${server.output().slice(-2000)}`);
        }
      }

      const lh = await lighthouseRuns(ctx, server.url, pages);
      const inp = await inpRuns(ctx, server.url + "/request");

      for (const [label, page] of Object.entries(pages)) {
        const runs = lh[label];
        const m = (key: "performance" | "accessibility" | "lcp" | "cls") => median(runs.map((r) => r[key]));
        ctx.record(`Lighthouse performance score, ${label} (median of ${RUNS})`, m("performance"), MIN_PERFORMANCE, "", true);
        ctx.record(`Lighthouse accessibility score, ${label}`, m("accessibility"), MIN_ACCESSIBILITY, "", true);
        if (page.loadMetrics) {
          ctx.record(`  LCP, ${label} (mobile, slow 4G, 4× CPU)`, m("lcp"), MAX_LCP_MS, "ms");
          ctx.record(`  CLS, ${label}`, m("cls"), MAX_CLS, "");
        }
      }
      ctx.record(`INP typing into /request (4× CPU, slow 4G; median of ${RUNS})`, median(inp), MAX_INP_MS, "ms");
    } finally {
      await server.stop();
    }
  },
};

/** A status page to measure (a confirmed request: the fullest one), and the postal code the INP run types, cached. */
function prepareData(server: RunningServer): string {
  const db = server.db();
  try {
    const row = db
      .prepare(
        `SELECT r.status_token AS token FROM visit_requests r JOIN visits v ON v.request_id = r.id
          ORDER BY v.status = 'approved' DESC, r.id LIMIT 1`
      )
      .get() as { token: string } | undefined;
    if (!row) throw new Error("デモデータに申込みがありません（status ページを測れません）");
    // The form looks the address up as the code is typed; answered from the cache, the bench never calls the real service.
    db.prepare("INSERT OR REPLACE INTO postal_code_cache (postal_code, address, fetched_at) VALUES (?, ?, ?)").run(
      "0300801",
      "青森県青森市新町",
      new Date().toISOString()
    );
    return row.token;
  } finally {
    db.close();
  }
}

/** Lighthouse (default config = mobile, simulated throttling) on each page, RUNS times, interleaved so noise spreads. */
async function lighthouseRuns(ctx: BenchContext, base: string, pages: Record<string, { path: string; loadMetrics: boolean }>) {
  const { launch } = await import("chrome-launcher");
  const { default: lighthouse } = await import("lighthouse");
  // handleSIGINT off: the bench's own Ctrl-C handler stops the server and removes its files, then this Chromium.
  const chrome = await launch({ chromePath: CHROMIUM, chromeFlags: ["--headless=new", "--no-sandbox", "--disable-gpu"], handleSIGINT: false, logLevel: "silent" });
  // kill() is synchronous (SIGKILL to Chromium's process group), so it also works from the exit handler.
  const kill = () => {
    try {
      chrome.kill();
    } catch {
      /* already gone */
    }
  };
  process.once("exit", kill);
  ctx.defer(kill);
  const out: Record<string, LhRun[]> = Object.fromEntries(Object.keys(pages).map((k) => [k, []]));
  try {
    for (let run = 1; run <= RUNS; run++) {
      for (const [label, page] of Object.entries(pages)) {
        const result = await lighthouse(base + page.path, {
          port: chrome.port,
          output: "html",
          logLevel: "error",
          onlyCategories: ["performance", "accessibility"],
        });
        if (!result) throw new Error(`Lighthouse returned nothing for ${page.path}`);
        const lhr = result.lhr as unknown as Lhr;
        if (lhr.runtimeError) throw new Error(`Lighthouse on ${page.path}: ${lhr.runtimeError.code} ${lhr.runtimeError.message}`);
        const r: LhRun = {
          performance: lhr.categories.performance.score ?? 0,
          accessibility: lhr.categories.accessibility.score ?? 0,
          lcp: lhr.audits["largest-contentful-paint"].numericValue ?? NaN,
          cls: lhr.audits["cumulative-layout-shift"].numericValue ?? NaN,
          fcp: lhr.audits["first-contentful-paint"].numericValue ?? NaN,
          tbt: lhr.audits["total-blocking-time"].numericValue ?? NaN,
          html: String(result.report),
          lhr,
        };
        out[label].push(r);
        process.stdout.write(
          `  ${label} run ${run}: performance ${r.performance.toFixed(2)}, accessibility ${r.accessibility.toFixed(2)}, ` +
            `FCP ${Math.round(r.fcp)} ms, LCP ${Math.round(r.lcp)} ms, TBT ${Math.round(r.tbt)} ms, CLS ${r.cls.toFixed(3)}` +
            // Lighthouse's own CPU benchmark of this machine at that moment: lower means busier (others' work).
            (lhr.environment?.benchmarkIndex ? ` (benchmarkIndex ${Math.round(lhr.environment.benchmarkIndex)})` : "") +
            "\n"
        );
      }
    }
  } finally {
    kill();
    process.off("exit", kill);
  }

  // Keep the median run's report of each page, and say why a page misses.
  for (const [label, runs] of Object.entries(out)) {
    const sorted = [...runs].sort((a, b) => a.performance - b.performance);
    const mid = sorted[Math.floor(sorted.length / 2)];
    const file = path.join(REPORTS, `${label.replace(/[^a-z0-9]+/gi, "-").replace(/^-|-$/g, "") || "home"}.html`);
    fs.writeFileSync(file, mid.html);
    const misses = mid.performance < MIN_PERFORMANCE || mid.accessibility < MIN_ACCESSIBILITY || (pages[label].loadMetrics && (mid.lcp > MAX_LCP_MS || mid.cls > MAX_CLS));
    process.stdout.write(`  ${label}: report ${path.relative(process.cwd(), file)}\n`);
    if (misses) process.stdout.write(diagnose(mid.lhr));
  }
  return out;
}

/** The main reasons Lighthouse gives for a slow or inaccessible page, a few lines each. */
function diagnose(lhr: Lhr): string {
  const lines: string[] = [];
  const a = lhr.audits;
  const kib = (b: unknown) => `${(Number(b) / 1024).toFixed(1)} KiB`;
  const short = (u: unknown) => String(u).replace(/^https?:\/\/[^/]+/, "");
  const lcpEl = a["largest-contentful-paint-element"]?.details?.items?.[0] as { items?: Array<{ node?: { snippet?: string } }> } | undefined;
  const lcpNode = (lcpEl?.items?.[0] as { node?: { snippet?: string; nodeLabel?: string } } | undefined)?.node;
  if (lcpNode) lines.push(`LCP element: ${String(lcpNode.snippet).slice(0, 100)} “${String(lcpNode.nodeLabel ?? "").slice(0, 40)}”`);
  const phases = a["largest-contentful-paint-element"]?.details?.items?.[1] as { items?: Array<{ phase?: string; timing?: number }> } | undefined;
  if (phases?.items) lines.push(`LCP phases: ${phases.items.map((p) => `${p.phase} ${Math.round(p.timing ?? 0)} ms`).join(", ")}`);
  const withItems = (id: string, fmt: (i: Record<string, unknown>) => string, n = 4) => {
    const audit = a[id];
    if (!audit || audit.score === null || audit.score >= 0.9 || !audit.details?.items?.length) return;
    lines.push(`${audit.title}${audit.displayValue ? ` (${audit.displayValue})` : ""}: ${audit.details.items.slice(0, n).map(fmt).join("; ")}`);
  };
  withItems("render-blocking-resources", (i) => `${short(i.url)} ${kib(i.totalBytes)}, ${Math.round(Number(i.wastedMs))} ms`);
  withItems("unused-javascript", (i) => `${short(i.url)} ${kib(i.wastedBytes)} unused`);
  withItems("unused-css-rules", (i) => `${short(i.url)} ${kib(i.wastedBytes)} unused`);
  withItems("uses-text-compression", (i) => `${short(i.url)} could save ${kib(i.wastedBytes)}`);
  withItems("font-display", (i) => short(i.url));
  withItems("bootup-time", (i) => `${short(i.url)} ${Math.round(Number(i.total))} ms`, 3);
  withItems("layout-shifts", (i) => `${String((i.node as { snippet?: string } | undefined)?.snippet ?? "?").slice(0, 80)} ${Number(i.score).toFixed(3)}`, 3);
  for (const id of ["total-byte-weight", "mainthread-work-breakdown", "server-response-time"]) {
    if (a[id] && a[id].score !== null && a[id].score! < 0.9) lines.push(`${a[id].title}: ${a[id].displayValue ?? ""}`);
  }
  // Accessibility: every failing check, with the first element it names.
  for (const ref of lhr.categories.accessibility?.auditRefs ?? []) {
    const audit = a[ref.id];
    if (audit.scoreDisplayMode === "binary" && audit.score === 0) {
      const node = (audit.details?.items?.[0] as { node?: { snippet?: string } } | undefined)?.node?.snippet;
      lines.push(`accessibility: ${audit.title}${node ? ` — ${node.slice(0, 120)}` : ""}`);
    }
  }
  if (lhr.runWarnings.length) lines.push(...lhr.runWarnings.map((w) => `warning: ${w.slice(0, 200)}`));
  return lines.map((l) => `    ${l}\n`).join("");
}

/**
 * INP while typing into the /request form on an emulated slow phone, RUNS times (each a new context: empty cache).
 * Taps and keystrokes are interactions (a Japanese name typed through an IME would be too, but Playwright can only
 * insert such text, which the browser does not count): the organisation's name, the postal code (its lookup fills
 * the address), the contact's name, a phone number left unfinished so that leaving it shows the error, the e-mail,
 * back to finish the phone (checked again on every key), the expected applicants and the consent box.
 */
async function inpRuns(ctx: BenchContext, url: string): Promise<number[]> {
  const { chromium } = await import("@playwright/test");
  const { userAgents, screenEmulationMetrics, throttling } = await import("lighthouse/core/config/constants.js");
  const webVitals = fs.readFileSync(path.join(path.dirname(createRequire(import.meta.url).resolve("web-vitals/attribution")), "web-vitals.attribution.iife.js"), "utf8");
  // Playwright talks to Chromium over a pipe, so it also ends with this process; close() ends it sooner.
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox", "--disable-gpu"] });
  ctx.defer(() => browser.close());
  const values: number[] = [];
  try {
    const screen = screenEmulationMetrics.mobile;
    const net = throttling.mobileSlow4G;
    for (let run = 1; run <= RUNS; run++) {
      const context = await browser.newContext({
        viewport: { width: screen.width, height: screen.height },
        deviceScaleFactor: screen.deviceScaleFactor,
        isMobile: true,
        hasTouch: true,
        userAgent: userAgents.mobile,
        locale: "ja-JP",
        timezoneId: "Asia/Tokyo",
      });
      try {
        // web-vitals before any page script; reportAllChanges: INP so far after each interaction that raises it.
        await context.addInitScript({
          content: `${webVitals}
            window.__inp = null;
            webVitals.onINP((m) => { window.__inp = { value: m.value, count: m.entries.length, target: m.attribution.interactionTarget, type: m.attribution.interactionType, input: m.attribution.inputDelay, processing: m.attribution.processingDuration, presentation: m.attribution.presentationDelay, scriptMs: m.attribution.totalScriptDuration ?? 0, script: m.attribution.longestScript ? { source: m.attribution.longestScript.entry.sourceURL, fn: m.attribution.longestScript.entry.sourceFunctionName, invoker: m.attribution.longestScript.entry.invoker, ms: m.attribution.longestScript.intersectingDuration } : null }; }, { reportAllChanges: true, durationThreshold: 16 });`,
        });
        const page = await context.newPage();
        const cdp = await context.newCDPSession(page);
        await cdp.send("Network.enable");
        // DevTools throttling as Lighthouse applies it for the same profile (latency and bandwidth with its own factors).
        await cdp.send("Network.emulateNetworkConditions", {
          offline: false,
          latency: net.requestLatencyMs,
          downloadThroughput: (net.downloadThroughputKbps * 1024) / 8,
          uploadThroughput: (net.uploadThroughputKbps * 1024) / 8,
        });
        await cdp.send("Emulation.setCPUThrottlingRate", { rate: net.cpuSlowdownMultiplier });

        const t = performance.now();
        await page.goto(url, { waitUntil: "load", timeout: 120_000 });
        await page.waitForLoadState("networkidle", { timeout: 120_000 });
        // Typing before React has hydrated would time plain inputs; wait until the form's inputs are React's.
        const hydrated = await page
          .waitForFunction(() => Object.keys(document.querySelector("#rq-phone") ?? {}).some((k) => k.startsWith("__reactProps$")), null, { timeout: 30_000 })
          .then(() => true)
          .catch(() => false);
        const readyMs = performance.now() - t;

        // Each field is brought to the middle of the screen before the tap, as a person scrolls to it (and as Android
        // does when its keyboard opens). Playwright alone would leave it at the bottom edge, where this Chromium paints
        // keystrokes late (up to 2 s, main thread idle) once an error above it has moved it: a lab artefact, not the form.
        const tap = async (selector: string) => {
          await page.locator(selector).evaluate((el) => el.scrollIntoView({ block: "center" }));
          await page.locator(selector).tap();
        };
        const type = async (selector: string, text: string) => {
          await tap(selector);
          await page.locator(selector).pressSequentially(text, { delay: 120 });
        };
        await type("#rq-organisationName", "Aoba Shoten");
        await type("#rq-postalCode", "0300801");
        await type("#rq-contactName", "Sato Hanako");
        await type("#rq-phone", "017-123-456");
        await type("#rq-email", "hanako@example.jp");
        await tap("#rq-phone");
        await page.keyboard.press("End");
        await page.keyboard.press("7", { delay: 120 });
        await type("#rq-expectedApplicants", "25");
        await tap("#rq-consent");
        // Event timing entries arrive after the next frame; give the last ones time to land.
        await page.waitForTimeout(1500);
        const inp = (await page.evaluate(() => (window as unknown as { __inp: unknown }).__inp)) as {
          value: number;
          target?: string;
          type?: string;
          input: number;
          processing: number;
          presentation: number;
          scriptMs: number;
          script: { source: string; fn: string; invoker: string; ms: number } | null;
        } | null;
        const interactions = await page.evaluate(() => (performance as unknown as { interactionCount?: number }).interactionCount ?? null);
        // The address filled from the cached postal code proves the typing reached the hydrated form's handlers.
        const address = await page.locator("#rq-address").inputValue();
        if (!inp) throw new Error("INP was not reported: no interaction reached the page");
        values.push(inp.value);
        process.stdout.write(
          `  INP run ${run}: ${Math.round(inp.value)} ms (${inp.type} on ${inp.target}: input delay ${Math.round(inp.input)}, processing ${Math.round(inp.processing)}, ` +
            `presentation ${Math.round(inp.presentation)} ms; scripts in long frames meanwhile ${Math.round(inp.scriptMs)} ms` +
            (inp.script ? `; longest script ${Math.round(inp.script.ms)} ms in ${inp.script.fn || "?"} (${inp.script.source.replace(/^https?:\/\/[^/]+/, "")}, ${inp.script.invoker})` : "") +
            `; ${interactions ?? "?"} interactions; ` +
            `ready to type after ${(readyMs / 1000).toFixed(1)} s${hydrated ? "" : ", NOT hydrated"}${address ? "" : ", address NOT filled"})\n`
        );
      } finally {
        await context.close();
      }
    }
  } finally {
    await browser.close();
  }
  return values;
}
