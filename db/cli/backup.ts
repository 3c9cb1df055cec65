/**
 * npm run backup [-- <folder>]
 * Copies the database at DATABASE_URL while the app keeps running, with
 * SQLite's online backup API (better-sqlite3 `db.backup()`: a consistent
 * snapshot, whatever is being written meanwhile), into data/backups/ (or the
 * given folder) as demado-YYYYMMDD-HHMMSS.db, then runs PRAGMA integrity_check
 * on the copy. Site photos (the photos/ folder beside the database) are
 * copied next to it as demado-YYYYMMDD-HHMMSS.photos/, after the snapshot:
 * a photo uploaded meanwhile may be copied without its row (harmless), never a
 * row without its file unless it is deleted during the copy.
 * Exits non-zero when anything fails; a failed copy is removed.
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { databasePath } from "../../app/db.server";

/** Local time stamp for file names: 20261129-131500. */
export function backupStamp(d = new Date()): string {
  const p = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}-${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}`;
}

/** "ok" or the problems PRAGMA integrity_check reports. */
export function integrityProblems(file: string): string[] {
  // Read-write, so that closing cleans up any -wal/-shm this check creates.
  const db = new Database(file, { fileMustExist: true });
  try {
    const rows = db.pragma("integrity_check") as { integrity_check: string }[];
    return rows.map((r) => r.integrity_check).filter((r) => r !== "ok");
  } finally {
    db.close();
  }
}

export async function backupDatabase(source: string, folder: string): Promise<string> {
  if (!fs.existsSync(source)) throw new Error(`データベースが見つかりません: ${source}（DATABASE_URL を確認してください）`);
  fs.mkdirSync(folder, { recursive: true });
  let target = path.join(folder, `demado-${backupStamp()}.db`);
  for (let i = 2; fs.existsSync(target); i++) target = path.join(folder, `demado-${backupStamp()}-${i}.db`);
  const db = new Database(source, { fileMustExist: true });
  // The app's writers wait up to 5 s for a lock; so do we.
  db.pragma("busy_timeout = 5000");
  try {
    // All pages in one step, inside one read transaction: a snapshot of one moment. (In steps, every write by
    // the app between two steps would restart the copy, and a busy app could keep it from ever finishing.)
    // WAL mode lets the app keep writing meanwhile.
    await db.backup(target, { progress: () => 0x7fffffff });
  } catch (error) {
    fs.rmSync(target, { force: true });
    throw error;
  } finally {
    db.close();
  }
  // A backup is one self-contained file: no WAL beside it.
  const copy = new Database(target, { fileMustExist: true });
  copy.pragma("journal_mode = DELETE");
  copy.close();
  const problems = integrityProblems(target);
  if (problems.length) {
    fs.renameSync(target, `${target}.broken`);
    throw new Error(`バックアップの整合性検査に失敗しました: ${problems.slice(0, 5).join(" / ")}`);
  }
  const photos = photosFolderOf(source);
  if (fs.existsSync(photos)) fs.cpSync(photos, photosBackupOf(target), { recursive: true, errorOnExist: true, force: false });
  return target;
}

/** The site-photo folder beside a database file (app/visits/photos.server.ts photosRoot()). */
export function photosFolderOf(databaseFile: string): string {
  return path.join(path.dirname(databaseFile), "photos");
}

/** Where a backup keeps its photos: beside it, same name, `.photos`. */
export function photosBackupOf(backupFile: string): string {
  return backupFile.replace(/\.db$/, "") + ".photos";
}

async function main() {
  const source = path.resolve(databasePath());
  const folder = path.resolve(process.argv[2] ?? path.join(path.dirname(source), "backups"));
  const file = await backupDatabase(source, folder);
  const size = fs.statSync(file).size;
  console.log(`バックアップを作成しました: ${file} (${(size / 1024 / 1024).toFixed(1)} MB, integrity_check: ok)`);
  if (fs.existsSync(photosBackupOf(file))) console.log(`現場写真も保存しました: ${photosBackupOf(file)}`);
}

// Run only as the command (restore.ts imports the helpers above).
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
