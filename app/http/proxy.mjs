// TRUST_PROXY (CONTRACT.md): which X-Forwarded-For entries are believed.
import express from "express";

/**
 * Parse TRUST_PROXY into a value for Express's `trust proxy` setting:
 *   unset, "", "0", "false" → false (the socket address is the client);
 *   "1", "2" … → that many proxy hops in front of the app;
 *   "10.0.0.1, 10.0.0.0/8, loopback" → the proxies' addresses or subnets.
 * "true" (believe every hop) is refused, as express-rate-limit does: anyone
 * could then choose their own address and escape every per-client limit.
 * Throws an Error with a Japanese message that says how to fix the value.
 */
export function parseTrustProxy(raw) {
  const value = (raw ?? "").trim();
  if (value === "" || /^(0|false|no|off)$/i.test(value)) return false;
  if (/^(true|yes|on|\*)$/i.test(value)) {
    throw new Error(
      `TRUST_PROXY=${value} はすべての X-Forwarded-For を信じるため、利用者が自分のアドレスを偽れます。リバースプロキシの段数（例: TRUST_PROXY=1）か、プロキシのアドレス（例: TRUST_PROXY=10.0.0.5,10.0.0.0/8）を指定してください。`,
    );
  }
  if (/^\d+$/.test(value)) {
    const hops = Number(value);
    if (hops > 10) throw new Error(`TRUST_PROXY=${value} は多すぎます。アプリの前にあるリバースプロキシの段数（通常は TRUST_PROXY=1 か 2）を指定してください。`);
    return hops;
  }
  const list = value.split(",").map((s) => s.trim());
  if (list.some((s) => s === "")) throw new Error(`TRUST_PROXY=${value} に空の項目があります。段数（例: TRUST_PROXY=1）か、カンマで区切ったアドレス（例: TRUST_PROXY=10.0.0.5,10.0.0.0/8）を指定してください。`);
  try {
    // Express compiles the list with proxy-addr, which throws on anything that is not an address, subnet or its named ranges.
    express().set("trust proxy", list);
  } catch (error) {
    throw new Error(
      `TRUST_PROXY=${value} を読めません（${error.message}）。プロキシの段数（例: TRUST_PROXY=1）か、IP アドレス・サブネット（例: TRUST_PROXY=10.0.0.5,10.0.0.0/8）、loopback / linklocal / uniquelocal をカンマ区切りで指定してください。`,
    );
  }
  return list;
}

/**
 * Express middleware: the client address the app keys its limits on, as
 * `x-demado-client-ip`: Express's `req.ip`, which follows X-Forwarded-For
 * only as far as TRUST_PROXY allows. A value sent by the client is replaced.
 */
export function clientAddress() {
  return (req, _res, next) => {
    req.headers["x-demado-client-ip"] = req.ip ?? req.socket.remoteAddress ?? "";
    next();
  };
}
