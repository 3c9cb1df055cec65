/** The client address: set by server.mjs from the socket as x-demado-client-ip (never trusted from outside). */
export function clientIp(request: Request): string | null {
  return request.headers.get("x-demado-client-ip");
}
