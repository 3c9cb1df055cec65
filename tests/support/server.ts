// Start the real `node server.mjs` (production build, fresh SQLite file) on a
// free loopback port, for tests of what only the HTTP server does: body
// limits, cross-site refusal, caching headers, proxies, shutdown. The build
// is made once per run by tests/support/ensure-build.ts.
import { spawn, type ChildProcessByStdio } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import type { Readable } from "node:stream";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";

// import.meta.url rather than __dirname: `npm run bench` loads this file with tsx as an ES module.
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

export type RunningServer = {
  url: string;
  port: number;
  dir: string;
  dbFile: string;
  child: ChildProcessByStdio<null, Readable, Readable>;
  /** Everything the process printed so far (stdout and stderr). */
  output: () => string;
  /** Resolves with the exit code once the process has ended. */
  exited: Promise<number | null>;
  /** A connection to the server's database (close it when done). */
  db: () => Database.Database;
  /** SIGTERM, wait for the exit, remove the data folder. */
  stop: () => Promise<void>;
};

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

export async function startServer(options: { demoData?: boolean; env?: Record<string, string>; port?: number } = {}): Promise<RunningServer> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "demado-server-"));
  const dbFile = options.env?.DATABASE_URL ?? path.join(dir, "demado.db");
  const port = options.port ?? (await freePort());
  // The caller's configuration stays out (no real SMTP server, proxy or mail folder of a developer's shell).
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: "production" };
  for (const name of ["SMTP_URL", "TRUST_PROXY", "APP_URL", "MAIL_DIR", "MAIL_FROM"]) delete env[name];
  Object.assign(env, {
    PORT: String(port),
    DATABASE_URL: dbFile,
    APP_URL: `http://127.0.0.1:${port}`,
    SESSION_SECRET: "server-test-secret-server-test-secret",
    DEMO_DATA: options.demoData ? "1" : "0",
    ...options.env,
  });
  const child = spawn(process.execPath, ["server.mjs"], { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  child.stdout.on("data", (c: Buffer) => (out += c));
  child.stderr.on("data", (c: Buffer) => (out += c));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));

  const url = `http://127.0.0.1:${port}`;
  await new Promise<void>((resolve, reject) => {
    const onExit = () => reject(new Error(`server.mjs exited before listening:\n${out}`));
    child.once("exit", onExit);
    const timer = setTimeout(() => reject(new Error(`server.mjs did not listen within 30 s:\n${out}`)), 30_000);
    const check = () => {
      if (out.includes(`demado: http://localhost:${port}`)) {
        clearTimeout(timer);
        child.off("exit", onExit);
        resolve();
      } else setTimeout(check, 50);
    };
    check();
  });

  return {
    url,
    port,
    dir,
    dbFile,
    child,
    output: () => out,
    exited,
    db: () => new Database(dbFile),
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill("SIGTERM");
        const killer = setTimeout(() => child.kill("SIGKILL"), 25_000);
        await exited;
        clearTimeout(killer);
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Sign in with a demo account (password demo-pass-2026); returns the Cookie header value. */
export async function signIn(server: RunningServer, email: string): Promise<string> {
  const res = await fetch(`${server.url}/login`, {
    method: "POST",
    body: new URLSearchParams({ email, password: "demo-pass-2026" }),
    redirect: "manual",
  });
  const cookie = res.headers.getSetCookie()[0]?.split(";")[0];
  if (res.status !== 302 || !cookie) throw new Error(`sign-in as ${email} failed: ${res.status} ${await res.text()}`);
  return cookie;
}

/** Resident set size of a process in bytes (Linux /proc). */
export function rssOf(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
  if (!m) throw new Error(`no VmRSS for ${pid}`);
  return Number(m[1]) * 1024;
}
