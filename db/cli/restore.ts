/**
 * npm run restore -- <backup file>
 * Puts a backup made by `npm run backup` in place of the database at
 * DATABASE_URL. Stop the app first. The backup must pass PRAGMA
 * integrity_check; the current database is first saved with the online backup
 * API as data/backups/pre-restore-….db, its -wal/-shm files are removed (a
 * stale WAL must never meet the restored file), then the copy is renamed into
 * place and checked again. When the backup has its site photos beside it
 * (<backup>.photos/), the current photos/ folder is moved to
 * data/backups/pre-restore-….photos and the backup's photos are copied into
 * place. Pending migrations run at the next `npm start`.
 */
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { databasePath } from "../../app/db.server";
import { backupStamp, integrityProblems, photosBackupOf, photosFolderOf } from "./backup";

export async function restoreDatabase(backup: string, target: string): Promise<{ safetyCopy: string | null }> {
  if (!fs.existsSync(backup)) throw new Error(`バックアップファイルが見つかりません: ${backup}`);
  const problems = integrityProblems(backup);
  if (problems.length) throw new Error(`バックアップが壊れているため復元しません: ${problems.slice(0, 5).join(" / ")}`);

  let safetyCopy: string | null = null;
  const stamp = backupStamp();
  const folder = path.join(path.dirname(target), "backups");
  if (fs.existsSync(target)) {
    fs.mkdirSync(folder, { recursive: true });
    safetyCopy = path.join(folder, `pre-restore-${stamp}.db`);
    const current = new Database(target, { fileMustExist: true });
    try {
      await current.backup(safetyCopy);
    } finally {
      // The last connection to close checkpoints the WAL into the file.
      current.close();
    }
  }
  const incoming = `${target}.restoring`;
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.copyFileSync(backup, incoming);
  const fd = fs.openSync(incoming, "r+");
  fs.fsyncSync(fd);
  fs.closeSync(fd);
  for (const suffix of ["-wal", "-shm", "-journal"]) fs.rmSync(`${target}${suffix}`, { force: true });
  fs.renameSync(incoming, target);
  const after = integrityProblems(target);
  if (after.length) throw new Error(`復元後の整合性検査に失敗しました: ${after.slice(0, 5).join(" / ")}`);
  const savedPhotos = photosBackupOf(backup);
  if (fs.existsSync(savedPhotos)) {
    const photos = photosFolderOf(target);
    if (fs.existsSync(photos)) {
      fs.mkdirSync(folder, { recursive: true });
      fs.renameSync(photos, path.join(folder, `pre-restore-${stamp}.photos`));
    }
    fs.cpSync(savedPhotos, photos, { recursive: true });
  }
  return { safetyCopy };
}

async function main() {
  const backup = process.argv[2];
  if (!backup) {
    console.error("使い方: npm run restore -- data/backups/demado-YYYYMMDD-HHMMSS.db （先にアプリを停止してください）");
    process.exit(2);
  }
  const target = path.resolve(databasePath());
  const { safetyCopy } = await restoreDatabase(path.resolve(backup), target);
  if (safetyCopy) console.log(`復元前のデータベースを保存しました: ${safetyCopy}`);
  console.log(`復元しました: ${target} (integrity_check: ok)。npm start で起動してください。`);
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
