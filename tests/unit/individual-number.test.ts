import { describe, expect, it } from "vitest";
import { containsIndividualNumber, individualNumberCheckDigit, isIndividualNumber, normaliseForNumberCheck } from "../../app/lib/individual-number";
import { freeText, optionalEmail } from "../../app/lib/validation";

/*
 * Known numbers, written out by hand. Their check digits were worked out
 * apart from the code under test (番号法施行令 第8条, e.g. for 12345678901:
 * Σ P(n)Q(n) = 1·2+0·3+9·4+8·5+7·6+6·7+5·2+4·3+3·4+2·5+1·6 = 212,
 * 212 mod 11 = 3, 11 − 3 = 8).
 */
const VALID = ["123456789018", "314159265352", "271828182840", "987654321093"];
/** The same first eleven digits with a wrong last digit (invoice-like numbers). */
const WRONG_CHECK_DIGIT = ["123456789012", "314159265358", "271828182845", "987654321098"];

describe("the check digit", () => {
  it.each([
    ["12345678901", 8],
    ["31415926535", 2],
    ["27182818284", 0],
    ["98765432109", 3],
    ["87654321098", 9],
    ["55555555555", 7],
  ])("of %s is %i", (first11, digit) => {
    expect(individualNumberCheckDigit(first11)).toBe(digit);
  });

  it("tells valid numbers from ones with a wrong last digit", () => {
    for (const n of VALID) expect(isIndividualNumber(n)).toBe(true);
    for (const n of WRONG_CHECK_DIGIT) expect(isIndividualNumber(n)).toBe(false);
    expect(isIndividualNumber("12345678901")).toBe(false);
    expect(isIndividualNumber("1234567890189")).toBe(false);
  });
});

describe("individual numbers written any way are refused", () => {
  it.each([
    ["plain", "123456789018"],
    ["in a sentence", "会員番号は123456789018です"],
    ["grouped with spaces", "1234 5678 9018"],
    ["grouped with hyphens", "1234-5678-9018"],
    ["hyphens padded with spaces", "1234 - 5678 - 9018"],
    ["ideographic spaces and full-width hyphens", "１２３４　－　５６７８　－　９０１８"],
    ["middle dots", "1234・5678・9018"],
    ["half-width middle dots", "1234･5678･9018"],
    ["full stops", "1234.5678.9018"],
    ["slashes", "1234/5678/9018"],
    ["full-width slashes", "1234／5678／9018"],
    ["long-vowel marks typed for hyphens", "1234ー5678ー9018"],
    ["underscores", "1234_5678_9018"],
    ["commas", "1234,5678,9018"],
    ["Japanese commas", "1234、5678、9018"],
    ["three digits at a time", "123 456 789 018"],
    ["one digit at a time", "1 2 3 4 5 6 7 8 9 0 1 8"],
    ["over three lines", "1234\n5678\n9018"],
    ["full-width digits", "１２３４５６７８９０１８"],
    ["kanji numerals", "一二三四五六七八九〇一八"],
    ["kanji numerals grouped", "一二三四・五六七八・九〇一八"],
    ["kanji and digits mixed", "1234五六七八9018"],
    ["legal-form kanji numerals", "壱弐参四五六七八九零壱八"],
    ["zero-width spaces between digits", "1234\u200b5678\u200b9018"],
    ["soft hyphens between digits", "1234\u00ad5678\u00ad9018"],
    ["spaces and hyphens mixed", "1234 5678-9018"],
    ["in an email local part", "123456789018@example.jp"],
    ["in an email local part with dots", "taro.1234.5678.9018@example.jp"],
    ["in an email local part with a plus", "taro+1234-5678-9018@example.jp"],
    ["followed by a phone number", "1234-5678-9018 017-123-4567"],
    ["after a phone number", "TEL 0172-12-3456 1234 5678 9018"],
    ["another valid number", "3141 5926 5352"],
    ["a number whose check digit is 0", "2718-2818-2840"],
  ])("%s: %s", (_how, text) => {
    expect(containsIndividualNumber(text)).toBe(true);
  });

  it("reads kanji and full-width digits as digits", () => {
    expect(normaliseForNumberCheck("〇一二三四五六七八九")).toBe("0123456789");
    expect(normaliseForNumberCheck("１２３")).toBe("123");
  });
});

describe("ordinary text is accepted", () => {
  it.each([
    ["a mobile number", "090-1234-5678"],
    ["a landline number", "0172-12-3456"],
    ["a phone number in international form", "+81 90-1234-5678"],
    ["two phone numbers", "0172-12-3456 / 090-1234-5678"],
    ["a postal code", "〒030-0801"],
    ["a postal code and a phone number", "030-0801 017-123-4567"],
    ["a date", "2026/12/01"],
    ["a date in kanji numerals", "二〇二六年十二月一日"],
    ["a range of dates (its first twelve digits would pass the check digit)", "2026-12-01 - 2026-12-05"],
    ["a range of dates with slashes", "2026/12/01-2026/12/05"],
    ["a list of dates", "候補日 12/1、12/8、12/15、1/5"],
    ["times", "10:00-12:00、13:00-15:00"],
    ["an address with kanji numerals", "あおば市三丁目一番二号"],
    ["a 13-digit corporate number", "法人番号 1234567890123"],
    ["an amount of money", "見積 1,200,000円"],
    ["an email address", "hanako.yamada@example.jp"],
    ...WRONG_CHECK_DIGIT.map((n) => ["12 digits with a wrong check digit", n] as [string, string]),
    ["an invoice number grouped, wrong check digit", "請求番号 3141-5926-5358"],
    ["nothing", ""],
  ])("%s: %s", (_what, text) => {
    expect(containsIndividualNumber(text)).toBe(false);
  });
});

describe("the shared validators refuse them", () => {
  it("freeText, single and multi-line", () => {
    expect(freeText(200).safeParse("会員 1234・5678・9018").success).toBe(false);
    expect(freeText(200, { multiline: true }).safeParse("メモ\n一二三四五六七八九〇一八").success).toBe(false);
    expect(freeText(200).safeParse("電話 090-1234-5678").success).toBe(true);
  });

  it("optional emails", () => {
    const r = optionalEmail().safeParse("taro.1234.5678.9018@example.jp");
    expect(r.success).toBe(false);
    if (!r.success) expect(r.error.issues[0].message).toMatch(/マイナンバー（個人番号）/);
    expect(optionalEmail().safeParse("taro.yamada@example.jp").success).toBe(true);
  });
});

describe("where a written number starts and ends (hand-checked: 123456789018, 987654321093 and 111111111118 are valid)", () => {
  const refused = (t: string) => expect(containsIndividualNumber(t), t).toBe(true);
  const accepted = (t: string) => expect(containsIndividualNumber(t), t).toBe(false);

  it("reads up to three spaces on each side of a separator as one number, not four", () => {
    refused("1234   5678   9018");
    accepted("1234    5678    9018");
    refused("1234 -   5678 -   9018");
    accepted("1234 -    5678 -    9018");
    refused("1234   - 5678   - 9018");
    accepted("1234    - 5678    - 9018");
  });

  it("reads one or two marks in a row as a separator, not three", () => {
    refused("1234--5678--9018");
    accepted("1234---5678---9018");
    refused("9876-5432-1093");
    refused("9876－5432－1093");
  });

  it("needs one kind of separator inside one number", () => {
    refused("1234/5678/9018");
    refused("1234・5678・9018");
    accepted("1234-5678/9018");
    accepted("1234/5678.9018");
    refused("1234 5678-9018"); // spaces go with any mark
  });

  it("finds a number inside a longer run only in equal groups", () => {
    refused("99 1234 5678 9018");
    refused("1111 1111 1118 7");
    accepted("9 12345678 9018 7");
    refused("12 3456 789018"); // the whole run, however grouped
  });

  it("reads a short group after + as a country code (a phone number), not the start of a number", () => {
    accepted("+12 3456 789018");
    refused("12 3456 789018");
    refused("+1234 5678 9018"); // four digits after + are no country code
    refused("電話 +81 と 123456789018");
  });

  it("keeps to one kind of mark from where the number starts, and never reads two different marks as one separator", () => {
    refused("9-1234/5678/9018"); // starts after the dash
    refused("1234-5678 9018"); // spaces alone join any mark
    accepted("1234-/5678-/9018");
    accepted("12 3456 789018 5"); // unequal groups inside a longer run
    refused("番号 12 3456 789018"); // a short first group is a country code only right after +
    refused("+12 1234 5678 9018"); // after the country code, the number is still found
    accepted("+123 456789018");
  });

  it("refuses exactly twelve digits, not thirteen, at the start, the end or alone", () => {
    refused("123456789018");
    refused("番号123456789018です");
    accepted("1234567890180");
    accepted("0123456789018");
    accepted("");
    accepted("12345678901");
  });
});
