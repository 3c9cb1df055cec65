import { describe, expect, it } from "vitest";
import { fieldErrors } from "../../app/lib/validation";
import { dateProblem, normaliseDateInput, requestSchema, type RequestSchemaContext } from "../../app/requests/schema";

const ctx: RequestSchemaContext = {
  today: "2026-11-02",
  minNoticeDays: 14,
  programStart: "2026-06-01",
  programEnd: "2027-03-31",
  closedDates: ["2026-12-10"],
  minApplicants: 5,
  maxApplicants: 500,
};

const good = {
  organisationName: "あおば町内会",
  organisationKind: "neighbourhood",
  postalCode: "030-0801",
  address: "あおば市新町1-2-3",
  contactName: "山田 花子",
  phone: "017-123-4567",
  email: "hanako@example.jp",
  expectedApplicants: "20",
  preferredDate1: "2026-12-01",
  preferredSlot1: "am",
  preferredDate2: "",
  preferredSlot2: "",
  preferredDate3: "",
  preferredSlot3: "",
  venueText: "町内会館 大広間",
  parking: "yes",
  message: "",
  consent: "on",
};


function parse(patch: Record<string, unknown>, c = ctx) {
  const r = requestSchema(c).safeParse({ ...good, ...patch });
  return r.success ? { ok: true as const, data: r.data } : { ok: false as const, errors: fieldErrors(r.error) };
}

describe("request schema: normalisation", () => {
  it.each([
    ["full-width phone with full-width hyphens", { phone: "０１７－１２３－４５６７" }, "phone", "017-123-4567"],
    ["phone with spaces and brackets", { phone: "(017) 123 4567" }, "phone", "0171234567"],
    ["full-width postal code with 〒", { postalCode: "〒０３０ー０８０１" }, "postalCode", "030-0801"],
    ["postal code without hyphen", { postalCode: "0300801" }, "postalCode", "030-0801"],
    ["name with full-width letters and extra spaces", { organisationName: "  ＡＢＣ　　商事  " }, "organisationName", "ABC 商事"],
    ["contact name trimmed", { contactName: "　山田　花子　" }, "contactName", "山田 花子"],
    ["email in upper case and full width", { email: "ＨＡＮＡＫＯ@Example.JP " }, "email", "hanako@example.jp"],
    ["full-width head-count", { expectedApplicants: "２０" }, "expectedApplicants", 20],
    ["head-count with 人", { expectedApplicants: "約30人" }, "expectedApplicants", 30],
    ["date written with slashes", { preferredDate1: "2026/12/1" }, "preferredDate1", "2026-12-01"],
  ])("accepts %s", (_name, patch, field, expected) => {
    const r = parse(patch);
    expect(r.ok).toBe(true);
    if (r.ok) expect((r.data as Record<string, unknown>)[field]).toBe(expected);
  });

  it("turns empty optional dates into nulls", () => {
    const r = parse({});
    expect(r.ok && r.data.preferredDate2).toBe(null);
    expect(r.ok && r.data.message).toBe(null);
  });

  it("reads Japanese date spellings", () => {
    expect(normaliseDateInput("２０２６年１２月１日")).toBe("2026-12-01");
  });
});

describe("request schema: refusals with a message saying how to fix", () => {
  it.each([
    ["missing organisation name", { organisationName: "  " }, "organisationName", /団体名を入力/],
    ["no kind chosen", { organisationKind: "" }, "organisationKind", /種類を選んで/],
    ["unknown kind", { organisationKind: "church" }, "organisationKind", /種類を選んで/],
    ["six-digit postal code", { postalCode: "030-080" }, "postalCode", /7桁/],
    ["short phone", { phone: "123-4567" }, "phone", /10桁または11桁/],
    ["phone with letters", { phone: "017-ABC-4567" }, "phone", /10桁または11桁/],
    ["bad email", { email: "hanako@" }, "email", /形式/],
    ["too few applicants", { expectedApplicants: "3" }, "expectedApplicants", /5人以上/],
    ["too many applicants", { expectedApplicants: "501" }, "expectedApplicants", /500人以下/],
    ["applicants not a number", { expectedApplicants: "たくさん" }, "expectedApplicants", /数字/],
    ["no first date", { preferredDate1: "" }, "preferredDate1", /第1希望日を選んで/],
    ["a past date", { preferredDate1: "2026-10-01" }, "preferredDate1", /過去/],
    ["today", { preferredDate1: "2026-11-02" }, "preferredDate1", /過去の日付や今日/],
    ["too soon", { preferredDate1: "2026-11-10" }, "preferredDate1", /14日以上先/],
    ["after the program", { preferredDate1: "2027-04-02" }, "preferredDate1", /実施期間/],
    ["year-end closure", { preferredDate1: "2026-12-30" }, "preferredDate1", /年末年始/],
    ["new year", { preferredDate1: "2027-01-02" }, "preferredDate1", /年末年始/],
    ["a closed date", { preferredDate1: "2026-12-10" }, "preferredDate1", /実施していません/],
    ["an impossible date", { preferredDate1: "2026-02-30" }, "preferredDate1", /正しく/],
    ["no slot", { preferredSlot1: "" }, "preferredSlot1", /時間帯/],
    ["second date equal to the first", { preferredDate2: "2026-12-01", preferredSlot2: "pm" }, "preferredDate2", /第1希望日と同じ/],
    ["third date equal to the second", { preferredDate2: "2026-12-02", preferredSlot2: "pm", preferredDate3: "2026-12-02", preferredSlot3: "am" }, "preferredDate3", /第2希望日と同じ/],
    ["second date without a slot", { preferredDate2: "2026-12-03" }, "preferredSlot2", /時間帯/],
    ["no venue", { venueText: "" }, "venueText", /会場/],
    ["no parking answer", { parking: "" }, "parking", /駐車/],
    ["no consent", { consent: undefined }, "consent", /同意する/],
    ["an over-long name", { organisationName: "あ".repeat(101) }, "organisationName", /100文字以内/],
    ["an over-long message", { message: "あ".repeat(2001) }, "message", /2000文字以内/],
  ])("refuses %s", (_name, patch, field, message) => {
    const r = parse(patch);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[field]).toMatch(message);
  });

  it("follows the settings it is given", () => {
    const strict = { ...ctx, minNoticeDays: 30, minApplicants: 10 };
    expect(parse({ expectedApplicants: "8" }, strict).ok).toBe(false);
    expect(parse({ preferredDate1: "2026-11-20" }, strict).ok).toBe(false);
    expect(dateProblem("2026-12-05", strict)).toBeNull();
  });
});

describe("individual numbers in free text", () => {
  // Known numbers, check digits worked out by hand (see tests/unit/individual-number.test.ts), never built with the code under test.
  const valid = ["123456789018", "987654321093", "000000000000"];
  const invalid = ["123456789012", "987654321098"];
  const writings = (n: string) => [n, `${n.slice(0, 4)} ${n.slice(4, 8)} ${n.slice(8)}`, `${n.slice(0, 4)}-${n.slice(4, 8)}-${n.slice(8)}`, n.replace(/\d/g, (d) => String.fromCharCode(0xff10 + Number(d)))];

  for (const n of valid) {
    it.each(writings(n))("refuses a number that passes the check digit in the message: %s", (written) => {
      const r = parse({ message: `会員の番号は ${written} です` });
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.errors.message).toMatch(/マイナンバー（個人番号）と思われる12桁/);
    });
  }
  it("refuses one in the venue and in the organisation name too", () => {
    const r = parse({ venueText: `会議室 ${valid[0]}`, organisationName: `町内会${valid[1]}` });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.errors.venueText).toMatch(/個人番号/);
      expect(r.errors.organisationName).toMatch(/個人番号/);
    }
  });
  for (const n of invalid) {
    it.each(writings(n))("accepts 12 digits that fail the check digit: %s", (written) => {
      expect(parse({ message: `問い合わせ番号 ${written}` }).ok).toBe(true);
    });
  }
  it("refuses one in the email address", () => {
    const r = parse({ email: "hanako.1234.5678.9018@example.jp" });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.email).toMatch(/個人番号/);
  });
  it("accepts phone numbers and 13-digit corporate numbers in the message", () => {
    expect(parse({ message: "連絡先 017-123-4567、法人番号 1234567890123" }).ok).toBe(true);
  });
});

describe("the public form asks the booking rules about days", () => {
  const ctx = {
    today: "2026-11-01",
    minNoticeDays: 14,
    programStart: "2026-05-01",
    programEnd: "2027-03-31",
    closedDates: ["2026-12-10"],
    openedDates: ["2026-12-29"],
    minApplicants: 5,
    maxApplicants: 500,
  };
  it("refuses the closure politely, but not a closure day an admin opened", () => {
    expect(dateProblem("2026-12-30", ctx)).toBe("年末年始（12月29日〜1月3日）は実施していません。別の日付を選んでください。");
    expect(dateProblem("2026-12-29", ctx)).toBeNull();
  });
  it("refuses configured closed days and days outside the program", () => {
    expect(dateProblem("2026-12-10", ctx)).toMatch(/実施していません/);
    expect(dateProblem("2027-04-05", ctx)).toMatch(/実施期間/);
    expect(dateProblem("2026-12-12", ctx)).toBeNull(); // a Saturday: group visits may be on weekends
  });
});
