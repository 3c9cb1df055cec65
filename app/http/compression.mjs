// HTTP compression, in one place (issue 14: phones on weak signals).
//
// - Build assets (public/build, fingerprinted and immutable) are compressed
//   once, at build time, at the highest levels: `precompressBuild` writes a
//   `.br` and a `.gz` next to each JS and CSS file. `precompressedStatic`
//   serves them in place of the file when the browser accepts them, with the
//   original Content-Type, `Content-Encoding` and `Vary: Accept-Encoding`.
// - Everything else (HTML, JSON, single-fetch data, .ics, CSV, a build asset
//   without its precompressed copy) is compressed on the fly by the
//   `compression` package: brotli or gzip as Accept-Encoding asks. It keeps
//   streaming: Remix calls `res.flush()` after each chunk it writes.
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import compression from "compression";

const PRECOMPRESS = /\.(js|css|svg|json)$/;
/** Below this size compression saves nothing worth a request header. */
const MIN_BYTES = 512;

/** Write `<file>.br` and `<file>.gz` for every JS and CSS file below `dir` that has none yet. Returns how many files were written. */
export function precompressBuild(dir) {
  let written = 0;
  const walk = (d) => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      const file = path.join(d, entry.name);
      if (entry.isDirectory()) walk(file);
      else if (PRECOMPRESS.test(entry.name)) written += compressFile(file);
    }
  };
  if (fs.existsSync(dir)) walk(dir);
  return written;
}

function compressFile(file) {
  const source = fs.readFileSync(file);
  if (source.length < MIN_BYTES) return 0;
  let written = 0;
  const variants = [
    [".br", () => zlib.brotliCompressSync(source, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: source.length } })],
    [".gz", () => zlib.gzipSync(source, { level: 9 })],
  ];
  for (const [suffix, compress] of variants) {
    if (fs.existsSync(file + suffix)) continue;
    // Written beside and renamed: a server starting at the same moment never reads half a file.
    const temp = `${file}${suffix}.${process.pid}.tmp`;
    fs.writeFileSync(temp, compress());
    fs.renameSync(temp, file + suffix);
    written += 1;
  }
  return written;
}

/** The q-value the Accept-Encoding header gives `coding` (0 when refused or absent). */
function qualityOf(header, coding) {
  let star = 0;
  for (const part of header.split(",")) {
    const [name, ...params] = part.trim().toLowerCase().split(";");
    const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)).find(Boolean);
    const value = q ? Number(q[1]) : 1;
    if (name === coding) return value;
    if (name === "*") star = value;
  }
  return star;
}

/** The precompressed encoding to send for this Accept-Encoding header: brotli before gzip. */
export function preferredEncoding(header) {
  if (!header) return null;
  const br = qualityOf(header, "br");
  const gzip = qualityOf(header, "gzip");
  if (br > 0 && br >= gzip) return "br";
  if (gzip > 0) return "gzip";
  return null;
}

const SUFFIX = { br: ".br", gzip: ".gz" };
const TYPES = { ".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8", ".svg": "image/svg+xml", ".json": "application/json; charset=utf-8" };

/**
 * Express middleware mounted before `express.static(root)`: for a GET or HEAD
 * of a file that has a precompressed copy the browser accepts, rewrite the
 * URL to the copy and mark the response. Whether a copy exists is looked up
 * once per path.
 */
export function precompressedStatic(dir) {
  const root = path.resolve(dir);
  // server.mjs writes the copies before it listens, and fingerprinted names never change content.
  const exists = new Map();
  const has = (file) => {
    let known = exists.get(file);
    if (known === undefined) {
      known = fs.existsSync(file);
      exists.set(file, known);
    }
    return known;
  };
  return (req, res, next) => {
    if (req.method !== "GET" && req.method !== "HEAD") return next();
    const ext = path.extname(req.path);
    if (!TYPES[ext]) return next();
    res.vary("Accept-Encoding");
    const encoding = preferredEncoding(req.get("Accept-Encoding"));
    if (!encoding) return next();
    let relative;
    try {
      relative = decodeURIComponent(req.path);
    } catch {
      return next();
    }
    const file = path.join(root, path.normalize(relative));
    if (!file.startsWith(root + path.sep) || !has(file + SUFFIX[encoding])) return next();
    req.url = req.url.replace(/^[^?]*/, (p) => p + SUFFIX[encoding]);
    res.locals.precompressed = { encoding, type: TYPES[ext] };
    next();
  };
}

/** `setHeaders` for the express.static that serves precompressed copies: the original type and the encoding. */
export function precompressedHeaders(res) {
  const pre = res.locals.precompressed;
  if (!pre) return;
  res.setHeader("Content-Type", pre.type);
  res.setHeader("Content-Encoding", pre.encoding);
}

/**
 * On-the-fly compression for everything not precompressed: brotli quality 5
 * (gzip level 6 for browsers without brotli). Brotli's window is 256 KiB
 * rather than its 4 MiB default: larger than any page, and allocating the
 * default window for every response cost more CPU than rendering the page
 * (about 4 ms against 1.5 ms per /schedule, measured as server CPU time).
 */
export function dynamicCompression() {
  return compression({
    threshold: 1024,
    brotli: { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 5, [zlib.constants.BROTLI_PARAM_LGWIN]: 18 } },
  });
}

// `node app/http/compression.mjs [dir]` (npm run build): precompress the client build.
if (import.meta.url === `file://${process.argv[1]}`) {
  const dir = path.resolve(process.argv[2] ?? "public/build");
  const count = precompressBuild(dir);
  console.log(`precompressed ${count} files in ${path.relative(process.cwd(), dir) || "."}`);
}
