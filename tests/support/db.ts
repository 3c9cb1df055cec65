import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { closeDb, getDb, migrateDatabase } from "../../app/db.server";

/**
 * Point the app at a fresh SQLite file (a real file, migrated from empty) for
 * this test file. Returns the file path; the folder is removed afterwards.
 */
export function useFreshDatabase(): { file: string; dir: string; cleanup: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "demado-test-"));
  const file = path.join(dir, "test.db");
  process.env.DATABASE_URL = file;
  process.env.SESSION_SECRET = "test-secret-test-secret-test-secret";
  process.env.MAIL_DIR = path.join(dir, "mail");
  closeDb();
  migrateDatabase(getDb());
  return {
    file,
    dir,
    cleanup: () => {
      closeDb();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
