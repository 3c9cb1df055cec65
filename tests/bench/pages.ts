/**
 * Whole pages over HTTP for `npm run bench`: the real `node server.mjs` (the
 * production build) on the bench's own database, a manager signed in with a
 * cookie, and each URL fetched to its last byte. What this adds to the direct
 * build timings is everything a user waits for besides the query: Express
 * and its middleware, the session check, the root loader, React rendering
 * (or writing the XLSX) and the socket.
 */
import path from "node:path";
import { performance } from "node:perf_hooks";
import { eq, ne } from "drizzle-orm";
import { writeTransaction } from "../../app/db.server";
import { hashPassword } from "../../app/auth.server";
import { programs, users } from "../../db/schema";
import { signIn, startServer, type RunningServer } from "../support/server";
import type { BenchContext } from "./run";

export type PageTiming = { median: number; p95: number };

type Page = {
  path: string;
  /** Checked on every response, so a fast error page or sign-in redirect can never pass for the report. */
  expect: { contentType: string; contains?: string };
};

/**
 * Make `programId` the active program (the one the pages read when no
 * ?program= is given), add a manager, start the server on the bench's
 * database and time each page: median and p95 of `runs` requests after a
 * warm-up. The server is stopped before returning (and by the bench's
 * clean-up if the run is interrupted).
 */
export async function timePagesOverHttp(
  ctx: BenchContext,
  programId: number,
  pages: Record<string, Page>,
  runs = 20
): Promise<Record<string, PageTiming>> {
  const email = "manager@bench.example";
  const passwordHash = await hashPassword("demo-pass-2026"); // the password signIn() uses
  writeTransaction((tx) => {
    // Other suites leave their own (active) program behind; the pages must read the report year.
    tx.update(programs).set({ active: false }).where(ne(programs.id, programId)).run();
    tx.update(programs).set({ active: true }).where(eq(programs.id, programId)).run();
    // Once per database: a suite may time its pages again after adding rows.
    tx.insert(users).values({ email, name: "ベンチ総括責任者", role: "manager", passwordHash }).onConflictDoNothing().run();
  });

  const dbFile = process.env.DATABASE_URL!;
  const port = process.env.BENCH_PORT ? Number(process.env.BENCH_PORT) : undefined;
  const t0 = performance.now();
  const server: RunningServer = await startServer({
    port,
    env: { DATABASE_URL: dbFile, MAIL_DIR: path.join(ctx.dir, "server-mail") },
  });
  ctx.defer(() => server.stop());
  process.stdout.write(`  server.mjs on ${server.url} (started in ${Math.round(performance.now() - t0)} ms)\n`);
  try {
    const cookie = await signIn(server, email);
    const out: Record<string, PageTiming> = {};
    for (const [key, page] of Object.entries(pages)) {
      const get = async () => {
        const res = await fetch(server.url + page.path, { headers: { cookie }, redirect: "manual" });
        const body = Buffer.from(await res.arrayBuffer());
        const type = res.headers.get("content-type") ?? "";
        if (res.status !== 200 || !type.startsWith(page.expect.contentType) || (page.expect.contains && !body.toString("utf8").includes(page.expect.contains))) {
          throw new Error(
            `GET ${page.path}: ${res.status} ${type}, ${body.length} bytes — not the page expected (${JSON.stringify(page.expect)})\n` +
              `server output:\n${server.output().slice(-2000)}`
          );
        }
      };
      out[key] = await ctx.time(get, runs);
    }
    return out;
  } finally {
    await server.stop();
  }
}
