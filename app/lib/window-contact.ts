/**
 * The window's contact (settings windowPhone, windowHours, windowAddress) as
 * pages and emails show it, without zod: root and every public page import
 * these into the browser, and app/settings.ts (the settings schema, classic
 * zod) would add about 90 KiB of JavaScript to each of them (issue 14). The
 * schema takes its defaults from here.
 */

export type WindowContact = { windowPhone: string; windowHours: string; windowAddress: string };

/** The window's contact before any is stored (and when the database cannot be read, e.g. on an error page). */
export const DEFAULT_WINDOW_CONTACT: WindowContact = {
  windowPhone: "017-734-0000",
  windowHours: "平日 8:30〜17:15・土日祝日と年末年始は休み",
  windowAddress: "〒030-0801 青森市新町一丁目3-7 出張申請窓口事務所",
};

export function windowContactOf(settings: WindowContact): WindowContact {
  return { windowPhone: settings.windowPhone, windowHours: settings.windowHours, windowAddress: settings.windowAddress };
}

/** `tel:` href of a phone number as typed (017-734-0000 → tel:0177340000). */
export function telHref(phone: string): string {
  return `tel:${phone.normalize("NFKC").replace(/\D/g, "")}`;
}
