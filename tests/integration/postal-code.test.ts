import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { delay, http, HttpResponse } from "msw";
import { setupServer } from "msw/node";
import { getDb, writeTransaction } from "../../app/db.server";
import { lookupPostalCode } from "../../app/requests/postal.server";
import { saveSettings } from "../../app/settings.server";
import { postalCodeCache } from "../../db/schema";
import { useFreshDatabase } from "../support/db";

const BASE = "https://postal.test/api/search";
let calls = 0;
let mode: "found" | "notfound" | "error" | "slow" = "found";

const server = setupServer(
  http.get(BASE, async ({ request }) => {
    calls++;
    const zipcode = new URL(request.url).searchParams.get("zipcode");
    if (mode === "error") return new HttpResponse("boom", { status: 500 });
    if (mode === "slow") await delay(3000);
    if (mode === "notfound") return HttpResponse.json({ status: 200, message: null, results: null });
    return HttpResponse.json({ status: 200, message: null, results: [{ zipcode, address1: "青森県", address2: "青森市", address3: "新町" }] });
  }),
);

let ctx: ReturnType<typeof useFreshDatabase>;
beforeAll(() => {
  ctx = useFreshDatabase();
  writeTransaction((tx) => saveSettings(tx, { postalLookupUrl: BASE }, null));
  server.listen({ onUnhandledRequest: "error" });
});
afterAll(() => {
  server.close();
  ctx.cleanup();
});
beforeEach(() => {
  calls = 0;
  getDb().delete(postalCodeCache).run();
});

describe("postal-code lookup", () => {
  it("fills the address from the service and answers the next time from the cache", async () => {
    mode = "found";
    expect(await lookupPostalCode("０３０－０８０１")).toEqual({ status: "found", address: "青森県青森市新町" });
    expect(await lookupPostalCode("0300801")).toEqual({ status: "found", address: "青森県青森市新町" });
    expect(calls).toBe(1);
  });

  it("says not found for an unknown code (and remembers it)", async () => {
    mode = "notfound";
    expect(await lookupPostalCode("9999999")).toEqual({ status: "notfound" });
    expect(await lookupPostalCode("9999999")).toEqual({ status: "notfound" });
    expect(calls).toBe(1);
  });

  it("lets the user type when the service fails, without caching the failure", async () => {
    mode = "error";
    expect(await lookupPostalCode("0300802")).toEqual({ status: "unavailable" });
    mode = "found";
    expect(await lookupPostalCode("0300802")).toMatchObject({ status: "found" });
    expect(calls).toBe(2);
  });

  it("gives up after 2 seconds when the service is slow", async () => {
    mode = "slow";
    const started = Date.now();
    expect(await lookupPostalCode("0300803")).toEqual({ status: "unavailable" });
    expect(Date.now() - started).toBeLessThan(2800);
  });

  it("does not call the service for anything but seven digits", async () => {
    expect(await lookupPostalCode("123")).toEqual({ status: "notfound" });
    expect(calls).toBe(0);
  });
});
