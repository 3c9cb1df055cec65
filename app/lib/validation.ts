/** zod building blocks shared by every form (browser and server). */
import { z } from "zod";
import { containsIndividualNumber, INDIVIDUAL_NUMBER_MESSAGE } from "./individual-number";
import { normaliseText } from "./normalise";

/** True when the text holds no individual number (マイナンバー); the guard of every typed text (app/lib/individual-number.ts). */
export function noIndividualNumber(value: string | null | undefined): boolean {
  return !containsIndividualNumber(value);
}
export { INDIVIDUAL_NUMBER_MESSAGE };

/**
 * Free text: NFKC-normalised, trimmed, length-capped, and refused when it
 * contains an individual number (マイナンバー). Every staff and public form's
 * text fields use it; fields with their own format (emails, phones, postal
 * codes) call noIndividualNumber() themselves or accept too few digits to
 * hold one.
 */
export function freeText(max: number, opts: { required?: string; multiline?: boolean } = {}) {
  const base = z
    .string({ error: opts.required ?? "入力してください。" })
    .transform((v) => (opts.multiline ? v.normalize("NFKC").replace(/\r\n/g, "\n").trim() : normaliseText(v)))
    .refine((v) => v.length <= max, { error: `${max}文字以内で入力してください。` })
    .refine(noIndividualNumber, { error: INDIVIDUAL_NUMBER_MESSAGE });
  return opts.required ? base.refine((v) => v.length > 0, { error: opts.required }) : base;
}

/** An optional email address: NFKC, lower case; empty becomes null; never one holding an individual number. */
export function optionalEmail(example = "info@example.jp") {
  return z
    .string()
    .optional()
    .transform((v, ctx) => {
      const s = (v ?? "").normalize("NFKC").trim().toLowerCase();
      if (!s) return null;
      if (!noIndividualNumber(s)) {
        ctx.addIssue({ code: "custom", message: INDIVIDUAL_NUMBER_MESSAGE });
        return z.NEVER;
      }
      if (!z.email().safeParse(s).success) {
        ctx.addIssue({ code: "custom", message: `メールアドレスの形式が正しくありません（例: ${example}）。` });
        return z.NEVER;
      }
      return s;
    });
}

/** Field errors keyed by the first path segment, first message wins (classic zod and zod/mini errors alike). */
export function fieldErrors(error: Pick<z.core.$ZodError, "issues">): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = issue.path.map(String).join(".") || "_form";
    out[key] ??= issue.message;
  }
  return out;
}
