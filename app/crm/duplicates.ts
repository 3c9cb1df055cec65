/** The duplicate rule of the CRM (pure): same normalised name and same phone number = the same organisation. */
import { digitsOnly, organisationSearchKey } from "../lib/normalise";

export type NamePhone = { name: string; phone?: string | null };

/** Key under which two records collide; null when there is no phone to be sure with. */
export function duplicateKey(o: NamePhone): string | null {
  const phone = digitsOnly(o.phone);
  if (!phone) return null;
  return `${organisationSearchKey(o.name)}|${phone}`;
}

export function isDuplicate(a: NamePhone, b: NamePhone): boolean {
  const ka = duplicateKey(a);
  return ka !== null && ka === duplicateKey(b);
}

/** Same name but no phone to confirm: shown as a possible duplicate for staff to decide. */
export function isPossibleDuplicate(a: NamePhone, b: NamePhone): boolean {
  return !isDuplicate(a, b) && organisationSearchKey(a.name) !== "" && organisationSearchKey(a.name) === organisationSearchKey(b.name);
}
