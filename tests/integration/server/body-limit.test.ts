// Issue 11 item 1: a chunked body (no Content-Length) must be counted as it is
// read and cut at the limit with a 413, not buffered whole.
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rssOf, signIn, startServer, type RunningServer } from "../../support/server";

const MiB = 1024 * 1024;

/**
 * POST `total` bytes with Transfer-Encoding: chunked, as fast as the server
 * takes them, stopping when the response arrives. `sent` tells how much the
 * server let through before answering.
 */
function postChunked(url: string, total: number, headers: Record<string, string>, prefix = Buffer.alloc(0)) {
  return new Promise<{ status: number; body: string; sent: number }>((resolve, reject) => {
    let sent = 0;
    let answered = false;
    const req = http.request(url, { method: "POST", agent: false, headers: { "Transfer-Encoding": "chunked", ...headers } });
    req.on("response", (res) => {
      answered = true;
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (c) => (body += c));
      res.on("end", () => {
        req.destroy();
        resolve({ status: res.statusCode!, body, sent });
      });
    });
    req.on("error", (e) => {
      if (!answered) reject(e);
    });
    const chunk = Buffer.alloc(64 * 1024, "a");
    const pump = () => {
      while (!answered && sent < total) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once("drain", pump);
      }
      if (!answered) req.end();
    };
    sent += prefix.length;
    req.write(prefix);
    pump();
  });
}

let server: RunningServer;
beforeAll(async () => {
  server = await startServer({ demoData: true });
});
afterAll(() => server?.stop());

describe("streamed request bodies", () => {
  it("cuts a 96 MiB chunked sign-in post at 64 KiB with 413, without growing the server or recording an attempt", async () => {
    const before = rssOf(server.child.pid!);
    const results = await Promise.all(
      [1, 2].map(() => postChunked(`${server.url}/login`, 96 * MiB, { "Content-Type": "application/x-www-form-urlencoded" }, Buffer.from("email=a%40b.example&password="))),
    );
    const growth = rssOf(server.child.pid!) - before;
    for (const r of results) {
      expect(r.status).toBe(413);
      expect(r.body).toBe("送信された内容が大きすぎます。内容を短くするか、ファイルを分けてからもう一度お送りください。");
      // The server answered long before the client had sent its body (loopback buffers hold a few MiB).
      expect(r.sent).toBeLessThan(16 * MiB);
    }
    // Buffering two such bodies would take hundreds of MiB.
    expect(growth).toBeLessThan(48 * MiB);
    const db = server.db();
    expect(db.prepare("select count(*) as n from login_attempts").get()).toEqual({ n: 0 });
    db.close();
    // The server still serves.
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });

  it("keeps ordinary forms working below the limit", async () => {
    const res = await fetch(`${server.url}/login`, {
      method: "POST",
      body: new URLSearchParams({ email: "nobody@demo.example", password: "x".repeat(60 * 1024) }),
      redirect: "manual",
    });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("メールアドレスまたはパスワードが正しくありません");
  });

  it("cuts a chunked CSV import over 12 MB with 413 and stores no job and no file", async () => {
    const cookie = await signIn(server, "manager@demo.example");
    const boundary = "----demado-test-boundary";
    const prefix = Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="intent"\r\n\r\nupload\r\n--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.csv"\r\nContent-Type: text/csv\r\n\r\n団体名\r\n`,
    );
    const r = await postChunked(`${server.url}/staff/organisations/import`, 48 * MiB, { "Content-Type": `multipart/form-data; boundary=${boundary}`, Cookie: cookie }, prefix);
    expect(r.status).toBe(413);
    expect(r.body).toContain("送信された内容が大きすぎます");
    expect(r.sent).toBeLessThan(12 * MiB + 16 * MiB);
    const db = server.db();
    expect(db.prepare("select count(*) as n from import_jobs").get()).toEqual({ n: 0 });
    db.close();
    const importsDir = path.join(server.dir, "imports");
    expect(fs.existsSync(importsDir) ? fs.readdirSync(importsDir) : []).toEqual([]);
  });

  it("refuses a declared Content-Length over the limit before reading", async () => {
    const res = await fetch(`${server.url}/request`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: "a".repeat(64 * 1024 + 1),
    });
    expect(res.status).toBe(413);
  });
});
