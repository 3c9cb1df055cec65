/**
 * npm run user:create -- --email a@b.jp --name "山田 太郎" --role outreach [--password …]
 * Creates a user in the database at DATABASE_URL (migrating it first). Without
 * --password it asks on the terminal (input hidden is not available in every
 * terminal, so prefer a password manager and paste).
 */
import { parseArgs } from "node:util";
import readline from "node:readline/promises";
import { closeDb, getDb, migrateDatabase } from "../../app/db.server";
import { createUser } from "../../app/users.server";

const { values } = parseArgs({
  options: {
    email: { type: "string" },
    name: { type: "string" },
    role: { type: "string" },
    password: { type: "string" },
  },
});

async function main() {
  let password = values.password ?? process.env.DEMADO_PASSWORD;
  if (!password) {
    const rl = readline.createInterface({ input: process.stdin, output: process.stdout });
    password = await rl.question("パスワード (10文字以上): ");
    rl.close();
  }
  migrateDatabase(getDb());
  const result = await createUser({ email: values.email ?? "", name: values.name ?? "", role: values.role ?? "", password }, null);
  closeDb();
  if (!result.ok) {
    for (const [field, message] of Object.entries(result.errors)) console.error(`${field}: ${message}`);
    console.error("使い方: npm run user:create -- --email name@example.jp --name \"山田 太郎\" --role admin|manager|outreach|city [--password ...]");
    process.exit(1);
  }
  console.log(`利用者を登録しました (id ${result.id})`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
