import { describe, expect, it } from "vitest";
import { safeRedirect } from "../../app/lib/safe-redirect";

const origin = "http://localhost:3000";
const go = (to: unknown) => safeRedirect(to, { origin, fallback: "/staff" });

describe("safeRedirect", () => {
  it("keeps a path on this site with its query and hash", () => {
    expect(go("/city")).toBe("/city");
    expect(go("/staff/organisations?stage=lead&page=2#list")).toBe("/staff/organisations?stage=lead&page=2#list");
    expect(go("/calendar?date=2026-12-01")).toBe("/calendar?date=2026-12-01");
    // An absolute URL of this very origin is reduced to its path.
    expect(go("http://localhost:3000/admin?x=1")).toBe("/admin?x=1");
  });

  it("falls back for every way of naming another host", () => {
    const hostile = [
      "//evil.example",
      "//evil.example/staff",
      "/\t/evil.example", // browsers drop tabs: //evil.example
      "/\n/evil.example", // … and newlines
      "/\r\n/evil.example",
      "\t//evil.example",
      "/\\evil.example", // a backslash is a slash in http URLs
      "/\\\\evil.example",
      "\\\\evil.example",
      "\\/evil.example",
      "/.//evil.example", // resolves on our origin to the path //evil.example
      "/x/..//evil.example",
      "/./\\evil.example",
      "https://evil.example/",
      "http://evil.example",
      "HTTP://EVIL.EXAMPLE/",
      "https://localhost:3000/", // another scheme is another origin
      "http://localhost:3001/",
      "http://localhost:3000@evil.example/",
      "javascript:alert(1)",
      "JaVaScRiPt:alert(document.cookie)",
      " javascript:alert(1)",
      "data:text/html,<script>alert(1)</script>",
      "vbscript:msgbox(1)",
      "mailto:a@evil.example",
      "",
      "x".repeat(3000),
    ];
    for (const to of hostile) expect(go(to), JSON.stringify(to)).toBe("/staff");
  });

  it("falls back for values that are not strings", () => {
    for (const to of [null, undefined, 42, {}, ["/city"]]) expect(go(to)).toBe("/staff");
  });

  it("never returns a control character or a protocol-relative target", () => {
    const inputs = ["/%09/evil.example", "/%0d%0aSet-Cookie:%20x=1", "/staff?x=\r\nSet-Cookie: a=b", "/staff#\n", "/%2F%2Fevil.example", "/\u3000/x"];
    for (const to of inputs) {
      const out = go(to);
      expect(out, JSON.stringify(to)).not.toMatch(/[\u0000-\u001f\u007f]/);
      expect(out.startsWith("//"), JSON.stringify(to)).toBe(false);
      expect(out.startsWith("/"), JSON.stringify(to)).toBe(true);
    }
    // Encoded slashes stay encoded: a path on this site, not a host.
    expect(go("/%2F%2Fevil.example")).toBe("/%2F%2Fevil.example");
    expect(go("/%09/evil.example")).toBe("/%09/evil.example");
    expect(go("/staff?x=\r\nSet-Cookie: a=b")).toBe("/staff?x=Set-Cookie:%20a=b");
  });
});
