// Issue 11 item 1: a chunked body (no Content-Length) must be counted as it is
// read and cut at the limit with a 413, not buffered whole.
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import sharp from "sharp";
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

  describe("site photo uploads (limit: the largest photo cap the settings allow, plus the form)", () => {
    let cookie: string;
    let visitId: number;
    const photoCount = () => {
      const db = server.db();
      const n = (db.prepare("select count(*) as n from site_photos where visit_id = ?").get(visitId) as { n: number }).n;
      db.close();
      return n;
    };
    const photoFiles = () => {
      const dir = path.join(server.dir, "photos");
      return fs.existsSync(dir) ? (fs.readdirSync(dir, { recursive: true }) as string[]).filter((f) => f.endsWith(".jpg") || f.endsWith(".tmp")) : [];
    };
    const post = (file: Blob) => {
      const form = new FormData();
      form.append("caption", "");
      form.append("photo", file, "site.jpg");
      form.append("intent", "upload");
      return fetch(`${server.url}/staff/visits/${visitId}/photos`, { method: "POST", body: form, headers: { Cookie: cookie }, redirect: "manual" });
    };
    beforeAll(async () => {
      cookie = await signIn(server, "outreach@demo.example");
      const db = server.db();
      // A completed session without demo photos: each test counts what it stored there.
      visitId = (db.prepare("select id from visits where status = 'completed' and id not in (select visit_id from site_photos) order by id limit 1").get() as { id: number }).id;
      db.close();
    });

    it("stores a photo posted as multipart", async () => {
      const jpeg = await sharp({ create: { width: 40, height: 30, channels: 3, background: "#4a7" } }).jpeg().toBuffer();
      const res = await post(new Blob([new Uint8Array(jpeg)], { type: "image/jpeg" }));
      expect(res.status).toBe(302);
      expect(res.headers.get("location")).toMatch(new RegExp(`^/staff/visits/${visitId}/photos\\?saved=\\d+`));
      expect(photoCount()).toBe(1);
    });

    it("answers a photo over the cap in settings (10 MB) with the page and its message, storing nothing", async () => {
      const files = photoFiles();
      const res = await post(new Blob([new Uint8Array(11 * MiB)], { type: "image/jpeg" }));
      expect(res.status).toBe(413);
      expect(res.headers.get("content-type")).toContain("text/html");
      expect(await res.text()).toContain("写真のファイルが大きすぎます（上限10MB）。カメラの画質の設定を下げるか、写真を縮小してからもう一度登録してください。");
      expect(photoCount()).toBe(1);
      expect(photoFiles()).toEqual(files);
    });

    it("stops reading a chunked upload at the cap in settings with 413, storing nothing", async () => {
      const files = photoFiles();
      const boundary = "----demado-photo-boundary";
      const prefix = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="intent"\r\n\r\nupload\r\n--${boundary}\r\nContent-Disposition: form-data; name="photo"; filename="huge.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`);
      const r = await postChunked(`${server.url}/staff/visits/${visitId}/photos`, 96 * MiB, { "Content-Type": `multipart/form-data; boundary=${boundary}`, Cookie: cookie }, prefix);
      // The route stops reading at the cap in settings and answers with its page.
      expect(r.status).toBe(413);
      expect(r.body).toContain("写真のファイルが大きすぎます（上限10MB）");
      expect(r.sent).toBeLessThan(10 * MiB + 16 * MiB);
      expect(photoCount()).toBe(1);
      expect(photoFiles()).toEqual(files);
    });

    it("refuses a declared Content-Length over the photo body limit before reading, in Japanese", async () => {
      const r = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = http.request(`${server.url}/staff/visits/${visitId}/photos`, {
          method: "POST",
          agent: false,
          headers: { "Content-Type": "multipart/form-data; boundary=x", "Content-Length": String(52 * MiB), Cookie: cookie },
        });
        req.on("response", (res) => {
          let body = "";
          res.setEncoding("utf8");
          res.on("data", (c) => (body += c));
          res.on("end", () => {
            req.destroy();
            resolve({ status: res.statusCode!, body });
          });
        });
        req.on("error", reject);
        req.write(Buffer.alloc(1024));
      });
      expect(r).toEqual({ status: 413, body: "送信された内容が大きすぎます。内容を短くするか、ファイルを分けてからもう一度お送りください。" });
      expect(photoCount()).toBe(1);
    });
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
