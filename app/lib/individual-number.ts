/**
 * マイナンバー (individual number) detection: the one normaliser and guard
 * every text a person types goes through (public form, staff free text, every
 * cell of a CSV import). Pure: used in the browser (as you type) and on the
 * server (the authority).
 *
 * An individual number is 12 digits whose last digit is a check digit
 * (番号法施行令 第8条): with P(n) the n-th digit from the right of the first
 * eleven and Q(n) = n+1 (1≤n≤6) or n-5 (7≤n≤11), the check digit is
 * 11 − (ΣP(n)Q(n) mod 11), or 0 when the remainder is 0 or 1.
 *
 * Policy (kept from the first version): only 12 digits that pass the check
 * digit are refused, so invoice or order numbers (which fail it about nine
 * times in ten) stay usable; 13 or more digits in one unbroken run (e.g. a
 * 法人番号) are not individual numbers.
 *
 * What counts as "12 digits", after normaliseForNumberCheck():
 * - digits of any width (NFKC) and kanji numerals 〇一二三四五六七八九 (and
 *   零・壱・弐・参), with invisible characters (zero-width spaces …) removed;
 * - groups of digits joined by separators: spaces, hyphens and dashes of any
 *   kind (including ー), ・ . / _ , 、, each optionally padded with spaces
 *   ("1234 - 5678 - 9018"). Inside one number the marks are of one kind
 *   (spaces go with any mark), so "12/1、12/8、12/15、1/5" is a list of dates;
 * - 12 digits are either a whole run of groups, or, inside a longer run
 *   (a number followed by a phone number), consecutive groups of equal length
 *   (4-4-4, 3-3-3-3, 6-6, 2×6, 12×1 or one group of 12), so that a range of
 *   dates such as "2026-12-01 - 2026-12-05" is not read as one.
 * Email addresses are text like any other: "taro.1234.5678.9018@example.jp"
 * is refused.
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
  // Stryker disable next-line MethodExpression: the check digit reads only the first 11 digits, so passing all 12 is the same
  return /^\d{12}$/.test(digits) && individualNumberCheckDigit(digits.slice(0, 11)) === Number(digits[11]);
}

const KANJI_DIGITS: Record<string, string> = {
  〇: "0",
  零: "0",
  一: "1",
  壱: "1",
  壹: "1",
  二: "2",
  弐: "2",
  貳: "2",
  三: "3",
  参: "3",
  參: "3",
  四: "4",
  五: "5",
  六: "6",
  七: "7",
  八: "8",
  九: "9",
};
const KANJI_DIGIT_RE = new RegExp(`[${Object.keys(KANJI_DIGITS).join("")}]`, "g");

/**
 * The text as the guard reads it: NFKC (full-width digits and marks become
 * ASCII, ･ becomes ・), invisible format characters removed, kanji numerals
 * turned into digits. Only for checking: what is stored is the text as typed.
 */
export function normaliseForNumberCheck(text: string): string {
  return text
    .normalize("NFKC")
    .replace(/\p{Cf}/gu, "")
    .replace(KANJI_DIGIT_RE, (ch) => KANJI_DIGITS[ch]);
}

/** Marks that may join digit groups; all dashes are one kind. */
function markKind(ch: string): string | null {
  if (/[-‐‑‒–—―−ー]/.test(ch)) return "-";
  if (/[・./_,、]/.test(ch)) return ch;
  return null;
}
const isSpace = (ch: string) => /\s/.test(ch);
const isDigit = (ch: string) => ch >= "0" && ch <= "9";
/** Spaces allowed on each side of a mark, and marks in a row ("--"). */
const MAX_SPACES = 3;
const MAX_MARKS = 2;

type Group = { digits: string; /** mark kind before this group: null for the first group or spaces only */ joinedBy: string | null };

/** Split the text into runs of digit groups joined by separators. */
function digitRuns(s: string): { groups: Group[]; afterPlus: boolean }[] {
  const runs: { groups: Group[]; afterPlus: boolean }[] = [];
  let i = 0;
  while (i < s.length) {
    if (!isDigit(s[i])) {
      i++;
      continue;
    }
    const afterPlus = i > 0 && s[i - 1] === "+";
    const groups: Group[] = [];
    let joinedBy: string | null = null;
    for (;;) {
      let j = i;
      while (j < s.length && isDigit(s[j])) j++;
      groups.push({ digits: s.slice(i, j), joinedBy });
      // Try to read a separator followed by another digit.
      let k = j;
      let spaces = 0;
      while (k < s.length && isSpace(s[k]) && spaces <= MAX_SPACES) (k++, spaces++);
      let kind: string | null = null;
      let marks = 0;
      while (k < s.length && marks < MAX_MARKS && markKind(s[k]) !== null && (kind === null || markKind(s[k]) === kind)) {
        kind = markKind(s[k]);
        k++;
        marks++;
      }
      let after = 0;
      if (kind !== null) while (k < s.length && isSpace(s[k]) && after <= MAX_SPACES) (k++, after++);
      // Stryker disable next-line EqualityOperator: k === j means s[k] is the non-digit that ended the group, so isDigit(s[k]) is false anyway
      const ok = k > j && spaces <= MAX_SPACES && after <= MAX_SPACES && k < s.length && isDigit(s[k]);
      if (!ok) {
        i = j;
        break;
      }
      joinedBy = kind;
      i = k;
    }
    runs.push({ groups, afterPlus });
  }
  return runs;
}

/** Whether some 12 digits of one run, written as a person would write one number, pass the check digit. */
function runHoldsNumber(groups: Group[], afterPlus: boolean): boolean {
  for (let start = 0; start < groups.length; start++) {
    // "+81 90-1234-5678" is a phone number in international form, not a number starting at 81.
    if (start === 0 && afterPlus && groups.length > 1 && groups[0].digits.length <= 3) continue;
    let digits = "";
    let kind: string | null = null;
    for (let end = start; end < groups.length; end++) {
      const g = groups[end];
      if (end > start && g.joinedBy !== null) {
        if (kind !== null && kind !== g.joinedBy) break;
        kind = g.joinedBy;
      }
      digits += g.digits;
      // Stryker disable next-line ConditionalExpression: stopping early is only a shortcut; longer digits never equal 12 again
      if (digits.length > 12) break;
      if (digits.length < 12) continue;
      const whole = start === 0 && end === groups.length - 1;
      const window = groups.slice(start, end + 1);
      const equalGroups = window.every((w) => w.digits.length === window[0].digits.length);
      if ((whole || equalGroups) && isIndividualNumber(digits)) return true;
      break;
    }
  }
  return false;
}

/** True when the text holds what reads as an individual number (see the module comment). */
export function containsIndividualNumber(text: string | null | undefined): boolean {
  // Stryker disable next-line ConditionalExpression: without the guard, null and undefined read as text with no digits
  if (!text) return false;
  const s = normaliseForNumberCheck(String(text));
  for (const run of digitRuns(s)) {
    if (runHoldsNumber(run.groups, run.afterPlus)) return true;
  }
  return false;
}

export const INDIVIDUAL_NUMBER_MESSAGE =
  "マイナンバー（個人番号）と思われる12桁の数字が含まれています。この窓口では個人番号をお預かりできないため、その数字を消してから送信してください。";
