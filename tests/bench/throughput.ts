/**
 * SSR throughput for `npm run bench` (issue 14, item 4).
 *
 * GET: requests per second of /request and /schedule beside a static file of
 * the same bytes served by the same `node server.mjs` (express.static), at 32
 * keep-alive connections, one after the other in the same run, with the p99
 * latency of the page.
 *
 * POST: real submissions of the request form (each stores the request, the
 * CRM rows, the visit and its receipt email in the outbox) beside a bare
 * insert of the same rows, copied from one real submission, one transaction
 * per submission, on the same database file with the same pragmas
 * (openDatabase: WAL, synchronous = FULL).
 *
 * Bench configuration (no code path is changed for it): the production build
 * on a fresh database with the demo data; TRUST_PROXY=loopback and a distinct
 * X-Forwarded-For per submission, so the per-client limit (requestRateLimitPerHour,
 * also raised to its maximum) and the per-recipient limit (a distinct email
 * each) never refuse a bench submission; every POST carries the app's own
 * Origin, as a browser sends it.
 */
import http from "node:http";
import fs from "node:fs";
import path from "node:path";
import { performance } from "node:perf_hooks";
import type Database from "better-sqlite3";
import { openDatabase } from "../../app/db.server";
import { addDays, todayInTokyo } from "../../app/lib/dates";
import { startServer, type RunningServer } from "../support/server";
import type { BenchContext } from "./run";

export const CONNECTIONS = 32;

export type Load = { rps: number; p50: number; p99: number; count: number; errors: number; statuses: Record<number, number> };

type Shot = { method?: string; path: string; headers?: Record<string, string>; body?: string };

/**
 * Keep `connections` requests in flight for `ms` milliseconds (one per
 * keep-alive connection, each sent as soon as the previous answer ended).
 * `next(i)` gives the i-th request; `ok(status)` says which answers count.
 */
export async function load(
  base: string,
  next: (i: number) => Shot,
  { connections = CONNECTIONS, ms = 5_000, ok = (s: number): boolean => s === 200, agent = undefined as http.Agent | undefined } = {},
): Promise<Load> {
  const url = new URL(base);
  const own = !agent;
  agent ??= new http.Agent({ keepAlive: true, maxSockets: connections });
  const latencies: number[] = [];
  const statuses: Record<number, number> = {};
  let errors = 0;
  let sent = 0;
  const end = performance.now() + ms;
  const one = () =>
    new Promise<void>((resolve) => {
      const shot = next(sent++);
      const t = performance.now();
      const req = http.request(
        { host: url.hostname, port: url.port, path: shot.path, method: shot.method ?? "GET", agent, headers: { "User-Agent": "demado-bench", ...shot.headers } },
        (res) => {
          res.resume();
          res.on("end", () => {
            statuses[res.statusCode!] = (statuses[res.statusCode!] ?? 0) + 1;
            if (!ok(res.statusCode!)) errors++;
            latencies.push(performance.now() - t);
            resolve();
          });
        },
      );
      req.on("error", () => {
        errors++;
        resolve();
      });
      req.end(shot.body);
    });
  const started = performance.now();
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (performance.now() < end) await one();
    }),
  );
  const elapsed = performance.now() - started;
  if (own) agent.destroy();
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * q))] ?? Infinity;
  return { rps: (latencies.length / elapsed) * 1000, p50: at(0.5), p99: at(0.99), count: latencies.length, errors, statuses };
}

/** What a browser sends for a page (compression is the server's choice). */
const BROWSER = { Accept: "text/html", "Accept-Encoding": "br, gzip" };

/** /request and /schedule beside a static file of each page's bytes. */
async function pages(ctx: BenchContext, server: RunningServer) {
  const publicDir = path.resolve("public");
  for (const page of ["/request", "/schedule"]) {
    const res = await fetch(server.url + page);
    const html = Buffer.from(await res.arrayBuffer());
    if (res.status !== 200) throw new Error(`GET ${page}: ${res.status}\n${server.output().slice(-2000)}`);
    // A static HTML file of the same bytes, so the socket and any compression cost the same on both sides.
    const name = `bench-static${page.replace(/\//g, "-")}-${process.pid}.html`;
    const file = path.join(publicDir, name);
    fs.writeFileSync(file, html);
    ctx.defer(() => fs.rmSync(file, { force: true }));
    try {
      const get = (p: string) => () => ({ path: p, headers: BROWSER });
      // Each side warms up on the connections it is then measured on: the figures are the steady
      // state, not the first requests of 32 new sockets queued behind each other.
      const measure = async (p: string) => {
        const agent = new http.Agent({ keepAlive: true, maxSockets: CONNECTIONS });
        try {
          await load(server.url, get(p), { ms: 1_500, agent }); // warm-up (JIT, caches, connections)
          return await load(server.url, get(p), { agent });
        } finally {
          agent.destroy();
        }
      };
      const dynamic = await measure(page);
      const still = await measure(`/${name}`);
      const kib = (html.length / 1024).toFixed(0);
      process.stdout.write(`  GET ${page}: ${dynamic.rps.toFixed(0)} req/s (p50 ${dynamic.p50.toFixed(1)} ms, p99 ${dynamic.p99.toFixed(1)} ms); static ${kib} KiB: ${still.rps.toFixed(0)} req/s (p99 ${still.p99.toFixed(1)} ms)\n`);
      ctx.record(`GET ${page} (${kib} KiB): ${dynamic.rps.toFixed(0)} req/s vs static file ${still.rps.toFixed(0)} req/s, ratio`, dynamic.rps / still.rps, 0.25, "×", true);
      ctx.record(`  GET ${page} p99 at ${CONNECTIONS} connections`, dynamic.p99, 100);
      if (dynamic.errors || still.errors) ctx.record(`  GET ${page}: failed requests under load`, dynamic.errors + still.errors, 0, "");
    } finally {
      fs.rmSync(file, { force: true });
    }
  }
}

/** A valid request form; `i` makes the organisation, email and client address distinct. */
function submission(origin: string, date: string, i: number): Shot {
  const form = new URLSearchParams({
    organisationName: `ベンチ商事${i}`,
    organisationKind: "company",
    postalCode: "030-0801",
    address: `青森市新町一丁目${(i % 50) + 1}番`,
    contactName: "ベンチ太郎",
    phone: `017-${String(100 + (i % 900)).padStart(3, "0")}-${String(i % 10000).padStart(4, "0")}`,
    email: `bench${i}-${process.pid}@example.jp`,
    expectedApplicants: "20",
    preferredDate1: date,
    preferredSlot1: "am",
    venueText: "本社 会議室",
    parking: "yes",
    message: "",
    consent: "on",
  });
  return {
    method: "POST",
    path: "/request?index",
    headers: {
      "Content-Type": "application/x-www-form-urlencoded",
      Origin: origin,
      // One address per submission (TRUST_PROXY=loopback believes it): the per-client limit is not what is measured.
      "X-Forwarded-For": `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`,
    },
    body: form.toString(),
  };
}

type Row = Record<string, unknown>;

/**
 * The rows one submission inserted, table by table in insertion order, read
 * from the database after it: every row whose rowid is above the table's
 * highest before it.
 */
function rowsSince(db: Database.Database, before: Map<string, number>) {
  const out: Array<{ table: string; rows: Row[] }> = [];
  for (const table of tables(db)) {
    const rows = db.prepare(`select rowid as "__rowid", * from "${table}" where rowid > ? order by rowid`).all(before.get(table) ?? 0) as Row[];
    if (rows.length) out.push({ table, rows });
  }
  return out;
}

/**
 * Tables that triggers write (the CRM's kept counts and stale-priority marks, migration 0008): inserting the copied
 * rows fires those triggers, which do the same work as in a real submission, so their rows are not copied again.
 */
function triggerWrittenTables(db: Database.Database): Set<string> {
  const bodies = db.prepare("select sql from sqlite_master where type = 'trigger'").pluck().all() as string[];
  const targets = bodies.flatMap((sql) => [...sql.matchAll(/\b(?:insert(?:\s+or\s+\w+)?\s+into|update(?:\s+or\s+\w+)?|delete\s+from)\s+"?(\w+)"?/gi)].map((m) => m[1]));
  return new Set(targets);
}

function tables(db: Database.Database): string[] {
  return (db.prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like '%fts%' and sql not like '%VIRTUAL%'").pluck().all() as string[]).filter(
    (t) => !t.startsWith("__drizzle"),
  );
}

function maxRowids(db: Database.Database) {
  return new Map(tables(db).map((t) => [t, (db.prepare(`select coalesce(max(rowid), 0) from "${t}"`).pluck().get() as number) ?? 0]));
}

/**
 * A bare insert of `sample` (one submission's rows): prepared INSERTs in one
 * IMMEDIATE transaction. The n-th copy of a row with id x gets the id
 * x + n·OFFSET, and a foreign key to a copied row follows it there (checked
 * at commit, so the order of the tables does not matter); text in unique
 * columns gets a suffix. Returns a function that inserts one more copy.
 */
function bareInserter(db: Database.Database, sample: Array<{ table: string; rows: Row[] }>) {
  const OFFSET = 10_000_000;
  const copied = new Map(sample.map(({ table, rows }) => [table, new Set(rows.map((r) => r.__rowid))]));
  const plans = sample.map(({ table, rows }) => {
    const info = db.prepare(`pragma table_info("${table}")`).all() as Array<{ name: string; pk: number; type: string }>;
    const integerId = info.find((c) => c.pk === 1 && /^integer$/i.test(c.type) && !info.some((o) => o.pk > 1))?.name ?? null;
    const unique = new Set<string>(info.filter((c) => c.pk > 0 && c.name !== integerId).map((c) => c.name));
    for (const index of db.prepare(`pragma index_list("${table}")`).all() as Array<{ name: string; unique: number }>) {
      if (!index.unique) continue;
      for (const c of db.prepare(`pragma index_info("${index.name}")`).all() as Array<{ name: string }>) unique.add(c.name);
    }
    const fks = new Map((db.prepare(`pragma foreign_key_list("${table}")`).all() as Array<{ table: string; from: string }>).map((f) => [f.from, f.table]));
    const columns = info.map((c) => c.name);
    const statement = db.prepare(`insert into "${table}" (${columns.map((c) => `"${c}"`).join(", ")}) values (${columns.map(() => "?").join(", ")})`);
    return { rows, columns, unique, fks, statement, integerId };
  });
  const deferKeys = db.prepare("pragma defer_foreign_keys = on");
  let n = 0;
  const once = db.transaction(() => {
    n++;
    deferKeys.run();
    for (const plan of plans) {
      for (const row of plan.rows) {
        const values = plan.columns.map((c) => {
          const v = row[c];
          if (c === plan.integerId) return Number(v) + n * OFFSET;
          const parent = plan.fks.get(c);
          if (parent && v != null && copied.get(parent)?.has(v)) return Number(v) + n * OFFSET;
          if (plan.unique.has(c) && typeof v === "string") return `${v}~${n}`;
          if (plan.unique.has(c) && typeof v === "number") return v + n * OFFSET;
          return v;
        });
        plan.statement.run(...values);
      }
    }
  });
  return () => once.immediate();
}

/** POST /request beside bare inserts of the same rows. */
async function submissions(ctx: BenchContext, server: RunningServer) {
  const origin = server.url;
  // The first date the form accepts for a group visit (a weekday within the program, far enough ahead).
  let date = "";
  let i = 0;
  const db = server.db();
  let before = maxRowids(db);
  for (let d = 15; d < 120 && !date; d++) {
    const candidate = addDays(todayInTokyo(), d);
    const shot = submission(origin, candidate, i++);
    const res = await fetch(server.url + shot.path, { method: "POST", headers: shot.headers, body: shot.body, redirect: "manual" });
    if (res.status === 303) date = candidate;
    else before = maxRowids(db);
  }
  if (!date) throw new Error(`no preferred date accepted by POST /request\n${server.output().slice(-2000)}`);
  const byTriggers = triggerWrittenTables(db);
  const sample = rowsSince(db, before).filter((t) => !byTriggers.has(t.table));
  db.close();
  const rowCount = sample.reduce((n, t) => n + t.rows.length, 0);

  const post = (k: number) => submission(origin, date, 1000 + k);
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONNECTIONS });
  await load(server.url, (k) => post(k + 100_000), { ms: 1_500, ok: (s) => s === 303, agent }); // warm-up on the same connections
  const web = await load(server.url, post, { ok: (s) => s === 303, agent });
  agent.destroy();
  // No latency limit for submissions (the issue sets none): 32 at once queue for one writer.
  process.stdout.write(`  POST /request: ${web.rps.toFixed(0)} submissions/s (p50 ${web.p50.toFixed(0)} ms, p99 ${web.p99.toFixed(0)} ms), ${rowCount} rows each (${sample.map((t) => `${t.table} ${t.rows.length}`).join(", ")})\n`);

  // The bare insert, on the same file after the server has stopped, with the app's own connection settings.
  await server.stop();
  const bare = openDatabase(server.dbFile).$client;
  const insert = bareInserter(bare, sample);
  for (let k = 0; k < 20; k++) insert(); // warm-up
  let count = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < 3_000) {
    insert();
    count++;
  }
  const bareRps = (count / (performance.now() - t0)) * 1000;
  bare.close();
  process.stdout.write(`  bare insert of the same ${rowCount} rows (one transaction each, WAL, synchronous=FULL): ${bareRps.toFixed(0)}/s\n`);
  ctx.record(`POST /request: ${web.rps.toFixed(0)} submissions/s vs bare insert of the same ${rowCount} rows ${bareRps.toFixed(0)}/s, ratio`, web.rps / bareRps, 0.25, "×", true);
  if (web.errors) ctx.record(`  POST /request: answers other than 303 (${JSON.stringify(web.statuses)})`, web.errors, 0, "");
}

/** The suite: one server for the pages, then the submissions (which stop it for the bare insert). */
export async function throughput(ctx: BenchContext) {
  const server = await startServer({
    demoData: true,
    port: process.env.BENCH_PORT ? Number(process.env.BENCH_PORT) : undefined,
    // In the bench's folder, not the server's: the bare insert reads it after the server has stopped.
    env: { TRUST_PROXY: "loopback", DATABASE_URL: path.join(ctx.dir, "throughput.db"), MAIL_DIR: path.join(ctx.dir, "throughput-mail") },
  });
  ctx.defer(() => server.stop());
  // The per-client limit at its maximum (the admin setting's upper bound).
  const db = server.db();
  db.prepare("insert into settings (key, value) values ('requestRateLimitPerHour', '1000') on conflict(key) do update set value = excluded.value").run();
  db.close();
  try {
    await pages(ctx, server);
    await submissions(ctx, server);
  } finally {
    await server.stop();
  }
}
