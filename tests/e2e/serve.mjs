// Serve the built app for browser tests on a fresh database with demo data,
// and a real SMTP server (smtp-server) that keeps what it receives as .eml files
// under the test data folder, so tests can read the emails organisations get.
import fs from "node:fs";
import path from "node:path";
import { SMTPServer } from "smtp-server";

const dir = path.resolve(`.cache/e2e-${process.env.PORT}`);
fs.rmSync(dir, { recursive: true, force: true });
fs.mkdirSync(path.join(dir, "inbox"), { recursive: true });

let n = 0;
const smtp = new SMTPServer({
  authOptional: true,
  disabledCommands: ["STARTTLS"],
  onData(stream, _session, callback) {
    const chunks = [];
    stream.on("data", (c) => chunks.push(c));
    stream.on("end", () => {
      fs.writeFileSync(path.join(dir, "inbox", `${String(++n).padStart(4, "0")}.eml`), Buffer.concat(chunks));
      callback();
    });
  },
});
await new Promise((resolve) => smtp.listen(0, "127.0.0.1", resolve));
const smtpPort = smtp.server.address().port;

process.env.DATABASE_URL = path.join(dir, "demado.db");
process.env.SMTP_URL = `smtp://127.0.0.1:${smtpPort}`;
process.env.APP_URL = `http://127.0.0.1:${process.env.PORT}`;
process.env.SESSION_SECRET = "e2e-secret-e2e-secret-e2e-secret";
fs.writeFileSync(path.join(dir, "smtp-port"), String(smtpPort));
await import("../../server.mjs");
