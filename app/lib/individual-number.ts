/**
 * マイナンバー (individual number) detection. The product must never receive
 * one: every free-text field is checked with containsIndividualNumber() on the
 * browser (as you type) and on the server (the authority).
 *
 * An individual number is 12 digits whose last digit is a check digit
 * (番号法施行令 第8条): with P(n) the n-th digit from the right of the first
 * eleven and Q(n) = n+1 (1≤n≤6) or n-5 (7≤n≤11), the check digit is
 * 11 − (ΣP(n)Q(n) mod 11), or 0 when the remainder is 0 or 1.
 */

export function individualNumberCheckDigit(first11: string): number {
  let sum = 0;
  for (let n = 1; n <= 11; n++) {
    const p = Number(first11[11 - n]);
    const q = n <= 6 ? n + 1 : n - 5;
    sum += p * q;
  }
  const remainder = sum % 11;
  return remainder <= 1 ? 0 : 11 - remainder;
}

export function isIndividualNumber(digits: string): boolean {
  return /^\d{12}$/.test(digits) && individualNumberCheckDigit(digits.slice(0, 11)) === Number(digits[11]);
}

/** Full-width digits, spaces and hyphens of any width, as people type them. */
const SEPARATORS = /[\s\u3000\-‐‑‒–—―−ー－]/;

/**
 * True when the text holds 12 digits, written plain or split by spaces or
 * hyphens, that pass the check digit. Longer digit runs (e.g. 13-digit
 * corporate numbers) are not individual numbers.
 */
export function containsIndividualNumber(text: string | null | undefined): boolean {
  if (!text) return false;
  const s = text.normalize("NFKC");
  // Walk runs of digits joined by single separators.
  const runs = s.match(/\d(?:[\d]|[\s\u3000\-‐‑‒–—―−ー－](?=\d))*/g) ?? [];
  for (const run of runs) {
    const digits = run.replace(new RegExp(SEPARATORS, "g"), "");
    if (digits.length === 12 && isIndividualNumber(digits)) return true;
    // A longer run may still hide a number written in groups (e.g. "1234 5678 9018 と 03-...").
    if (digits.length > 12) {
      const groups = run.split(new RegExp(`${SEPARATORS.source}+`));
      for (let i = 0; i < groups.length; i++) {
        let joined = "";
        for (let j = i; j < groups.length && joined.length < 12; j++) {
          joined += groups[j];
          if (joined.length === 12 && isIndividualNumber(joined)) return true;
        }
      }
    }
  }
  return false;
}

export const INDIVIDUAL_NUMBER_MESSAGE =
  "マイナンバー（個人番号）と思われる12桁の数字が含まれています。この窓口では個人番号をお預かりできないため、その数字を消してから送信してください。";
