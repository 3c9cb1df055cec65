/**
 * The roster's vocabulary (当日の体制): role and affiliation labels and the
 * pure rules screens and the server share. Browser-safe, like ./booking.ts;
 * the writes live in ./roster.server.ts.
 */
import type { RosterRole, StaffAffiliation, VisitMode } from "../../db/enums";
import { needsCityOfficial } from "./booking";

export const ROSTER_ROLE_LABELS: Record<RosterRole, string> = {
  lead: "現地管理者",
  staff: "従事者",
  id_checker: "本人確認（市職員）",
};

export const STAFF_AFFILIATION_LABELS: Record<StaffAffiliation, string> = {
  contractor: "受託者",
  city: "市職員",
};

/** Why a person of this affiliation cannot take this role (null: they can). Identity checks are the city's (seed 000 §5(6)④). */
export function rosterRoleRefusal(role: RosterRole, affiliation: StaffAffiliation): string | null {
  if (role === "id_checker" && affiliation !== "city") {
    return "本人確認は市職員が行います。所属が「市職員」の人を選ぶか、役割を「従事者」にしてください。";
  }
  return null;
}

/** A 受付方式 session without a city official checking identity documents on its roster. */
export function lacksCityOfficial(mode: VisitMode, roles: readonly RosterRole[]): boolean {
  return needsCityOfficial(mode) && !roles.includes("id_checker");
}

export const CITY_OFFICIAL_MISSING =
  "受付方式のため、本人確認を行う市職員が必要ですが、当日の体制にまだいません。従事者名簿の市職員を「本人確認（市職員）」として追加してください。";

/** The same warning as the city reads it on its approval page. */
export const CITY_OFFICIAL_MISSING_FOR_CITY =
  "受付方式の訪問のため、当日は市職員による本人確認が必要ですが、担当する市職員がまだ当日の体制に入っていません。受託者と担当者を調整してください。";
