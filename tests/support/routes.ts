/**
 * Call a route's loader or action as Remix would, with a real Request, and
 * read the outcome the browser would see: a thrown or returned Response, a
 * data(…, { status }) result, or plain data (200).
 */
export type RouteOutcome = { status: number; body: unknown; headers: Headers };

type RouteFn = (args: { request: Request; params: Record<string, string>; context: object }) => unknown;

export async function callRoute(
  fn: RouteFn,
  opts: {
    url: string;
    method?: "GET" | "POST";
    cookie?: string;
    form?: Record<string, string> | URLSearchParams;
    params?: Record<string, string>;
    headers?: Record<string, string>;
  },
): Promise<RouteOutcome> {
  const headers = new Headers(opts.headers);
  if (opts.cookie) headers.set("Cookie", opts.cookie);
  const method = opts.method ?? (opts.form ? "POST" : "GET");
  const init: RequestInit = { method, headers };
  if (opts.form) init.body = opts.form instanceof URLSearchParams ? opts.form : new URLSearchParams(opts.form);
  const request = new Request(new URL(opts.url, "http://localhost"), init);
  let result: unknown;
  try {
    result = await fn({ request, params: opts.params ?? {}, context: {} });
  } catch (thrown) {
    if (thrown instanceof Response) return { status: thrown.status, body: await thrown.text(), headers: thrown.headers };
    // A thrown data(…, { status }) answers like a thrown Response.
    if (thrown && typeof thrown === "object" && (thrown as { type?: string }).type === "DataWithResponseInit") result = thrown;
    else throw thrown;
  }
  if (result instanceof Response) return { status: result.status, body: await result.clone().text(), headers: result.headers };
  if (result && typeof result === "object" && (result as { type?: string }).type === "DataWithResponseInit") {
    const d = result as unknown as { data: unknown; init: ResponseInit | null };
    return { status: d.init?.status ?? 200, body: d.data, headers: new Headers(d.init?.headers) };
  }
  return { status: 200, body: result, headers: new Headers() };
}
