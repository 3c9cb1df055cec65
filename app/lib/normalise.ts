/** Text normalisation shared by the request form, the CRM and imports. */

/** NFKC, trimmed, inner runs of spaces folded to one. */
export function normaliseText(value: string | null | undefined): string {
  return (value ?? "").normalize("NFKC").replace(/[\s\u3000]+/g, " ").trim();
}

export function digitsOnly(value: string | null | undefined): string {
  return (value ?? "").normalize("NFKC").replace(/\D/g, "");
}

/** Legal-form words that say nothing about which organisation it is. */
const LEGAL_FORMS = [
  "株式会社",
  "有限会社",
  "合同会社",
  "合名会社",
  "合資会社",
  "一般社団法人",
  "公益社団法人",
  "一般財団法人",
  "公益財団法人",
  "社会福祉法人",
  "医療法人社団",
  "医療法人財団",
  "医療法人",
  "特定非営利活動法人",
  "NPO法人",
  "学校法人",
  "(株)",
  "(有)",
  "(同)",
  "(社)",
  "(福)",
  "(医)",
  "(学)",
];

/**
 * Key for search and duplicate matching: NFKC (so ㈱ → (株), full-width →
 * half-width), lower case, legal forms and all spaces and middle dots removed,
 * katakana folded to hiragana so readings match either way.
 */
export function organisationSearchKey(name: string | null | undefined): string {
  let s = (name ?? "").normalize("NFKC").toLowerCase();
  for (const form of LEGAL_FORMS) s = s.split(form.toLowerCase()).join("");
  s = s.replace(/[\s\u3000・･.,、。()（）「」]/g, "");
  return toHiragana(s);
}

export function toHiragana(s: string): string {
  return s.replace(/[\u30a1-\u30f6]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) - 0x60));
}

/** 0312345678 → 03-1234-5678 is locale-specific; we keep digits and show as typed. */
export function normalisePhone(value: string | null | undefined): string {
  return digitsOnly(value);
}

/** 〒0300801 / ０３０－０８０１ → 030-0801 (or "" when not seven digits). */
export function normalisePostalCode(value: string | null | undefined): string {
  const d = digitsOnly(value);
  return d.length === 7 ? `${d.slice(0, 3)}-${d.slice(3)}` : "";
}

export function normaliseEmailAddress(value: string | null | undefined): string {
  return (value ?? "").normalize("NFKC").trim().toLowerCase();
}
