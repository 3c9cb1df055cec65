// Issue 14 item 1: responses are compressed as the browser asks (brotli before
// gzip), through the real `node server.mjs`. Build assets are served from the
// copies compressed at build time; pages, data and calendars on the fly, and
// streaming still works through the compressor.
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import zlib from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer, type RunningServer } from "../../support/server";

let server: RunningServer;
beforeAll(async () => {
  server = await startServer({ demoData: true });
});
afterAll(() => server?.stop());

type Raw = { status: number; headers: http.IncomingHttpHeaders; body: Buffer; chunks: number };

/** A GET without fetch's automatic decompression: the bytes as they came over the wire. */
function get(urlPath: string, acceptEncoding?: string): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const headers = acceptEncoding === undefined ? {} : { "Accept-Encoding": acceptEncoding };
    http
      .get(`${server.url}${urlPath}`, { headers }, (res) => {
        const parts: Buffer[] = [];
        res.on("data", (c: Buffer) => parts.push(c));
        res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(parts), chunks: parts.length }));
      })
      .on("error", reject);
  });
}

function decode(raw: Raw): string {
  const encoding = raw.headers["content-encoding"];
  if (encoding === "br") return zlib.brotliDecompressSync(raw.body).toString("utf8");
  if (encoding === "gzip") return zlib.gunzipSync(raw.body).toString("utf8");
  return raw.body.toString("utf8");
}

const buildDir = path.resolve(__dirname, "../../../public/build");

/** The largest JS file of the client build, by its URL. */
function largestScript(): string {
  let best = { url: "", size: 0 };
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, e.name);
      if (e.isDirectory()) walk(file);
      else if (e.name.endsWith(".js") && fs.statSync(file).size > best.size) best = { url: `/build/${path.relative(buildDir, file)}`, size: fs.statSync(file).size };
    }
  };
  walk(buildDir);
  return best.url;
}

describe("HTTP compression", () => {
  it("pages are sent with brotli when accepted, gzip when only gzip is, and plain otherwise", async () => {
    const br = await get("/request", "gzip, deflate, br");
    expect(br.status).toBe(200);
    expect(br.headers["content-encoding"]).toBe("br");
    expect(br.headers.vary).toMatch(/Accept-Encoding/i);
    expect(decode(br)).toContain("出張申請");

    const gzip = await get("/request", "gzip");
    expect(gzip.headers["content-encoding"]).toBe("gzip");
    expect(decode(gzip)).toContain("出張申請");

    const plain = await get("/request");
    expect(plain.headers["content-encoding"]).toBeUndefined();
    expect(plain.body.toString("utf8")).toContain("出張申請");
    // Compressed, a Japanese form page is a fraction of its size.
    expect(br.body.length).toBeLessThan(plain.body.length / 3);
  });

  it("a refused encoding is not used (br;q=0)", async () => {
    const res = await get("/request", "br;q=0, gzip");
    expect(res.headers["content-encoding"]).toBe("gzip");
  });

  it("build assets come from their precompressed copies, with the script's own type, Vary and long caching", async () => {
    const url = largestScript();
    const original = fs.readFileSync(path.join(buildDir, url.slice("/build/".length)));
    const br = await get(url, "gzip, deflate, br");
    expect(br.headers["content-encoding"]).toBe("br");
    expect(br.headers["content-type"]).toBe("text/javascript; charset=utf-8");
    expect(br.headers.vary).toMatch(/Accept-Encoding/i);
    expect(br.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
    // The copy made at build time, byte for byte (brotli quality 11, not the on-the-fly level).
    expect(br.body.equals(fs.readFileSync(path.join(buildDir, `${url.slice("/build/".length)}.br`)))).toBe(true);
    expect(Buffer.from(decode(br)).equals(original)).toBe(true);

    const gzip = await get(url, "gzip");
    expect(gzip.headers["content-encoding"]).toBe("gzip");
    expect(Buffer.from(decode(gzip)).equals(original)).toBe(true);

    const plain = await get(url);
    expect(plain.headers["content-encoding"]).toBeUndefined();
    expect(plain.body.equals(original)).toBe(true);
  });

  it("the calendar feed (.ics) and data requests are compressed too", async () => {
    const ics = await get("/schedule.ics", "br");
    expect(ics.headers["content-encoding"]).toBe("br");
    expect(decode(ics)).toContain("BEGIN:VCALENDAR");
    const data = await get("/request.data", "br");
    expect(data.status).toBe(200);
    expect(data.headers["content-encoding"]).toBe("br");
  });

  it("a compressed page still streams to its end (chunked, the streamed tail included)", async () => {
    // The chunks React writes in one turn are flushed together (app/http/remix-handler.mjs); the
    // compressor passes each flush on, and the loader data streamed after </html> arrives whole.
    const res = await get("/request", "br");
    expect(res.headers["content-encoding"]).toBe("br");
    expect(res.headers["transfer-encoding"]).toBe("chunked");
    const html = decode(res);
    expect(html).toContain("</html>");
    expect(html).toContain("streamController.close();");
  });
});
