import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { z } from "zod";

/** The environment of CONTRACT.md, parsed once; every variable is optional. */
const schema = z.object({
  PORT: z.coerce.number().int().positive().default(3000),
  APP_URL: z.string().url().optional(),
  SMTP_URL: z.string().optional(),
  MAIL_FROM: z.string().default("出張申請窓口 <no-reply@localhost>"),
  SESSION_SECRET: z.string().min(16).optional(),
  DEMO_DATA: z.enum(["0", "1"]).default("1"),
  /** Folder for .eml files when SMTP_URL is unset. */
  MAIL_DIR: z.string().optional(),
});

/**
 * The SQLite file (DATABASE_URL, `file:`/`sqlite:` prefix allowed). Lives here,
 * not in db.server.ts, so configuration depends on nothing: db.server.ts reads
 * it from here, never the other way round.
 */
export function databasePath(): string {
  return process.env.DATABASE_URL?.replace(/^(file|sqlite):/, "") || "data/demado.db";
}

/** The folder that holds the database; the session secret and mail files default to it. */
export function dataDir(): string {
  return path.dirname(path.resolve(databasePath()));
}

export type Env = z.infer<typeof schema> & { APP_URL: string; DATA_DIR: string; MAIL_DIR: string };

export function env(): Env {
  const parsed = schema.parse(process.env);
  const dir = dataDir();
  return {
    ...parsed,
    APP_URL: (parsed.APP_URL ?? `http://localhost:${parsed.PORT}`).replace(/\/$/, ""),
    DATA_DIR: dir,
    MAIL_DIR: parsed.MAIL_DIR ?? path.join(dir, "mail"),
  };
}

/** SESSION_SECRET, or one generated on first start and kept beside the database. */
export function sessionSecret(): string {
  const e = env();
  if (e.SESSION_SECRET) return e.SESSION_SECRET;
  const file = path.join(e.DATA_DIR, "session-secret");
  try {
    return fs.readFileSync(file, "utf8").trim();
  } catch {
    fs.mkdirSync(e.DATA_DIR, { recursive: true });
    const secret = crypto.randomBytes(32).toString("base64url");
    fs.writeFileSync(file, secret, { mode: 0o600, flag: "wx" });
    return secret;
  }
}
