/**
 * The one permission module. Pure (no server imports) so the UI can hide what a
 * role cannot do; the server is the authority: every loader and action calls
 * requirePermission() in app/auth.server.ts, which uses can() from here.
 */
import type { Role } from "../db/schema";

export const ROLE_LABELS: Record<Role, string> = {
  admin: "管理者",
  manager: "総括責任者",
  outreach: "営業・訪問担当",
  city: "市職員",
};

const STAFF: Role[] = ["admin", "manager", "outreach"];
const EVERYONE: Role[] = ["admin", "manager", "outreach", "city"];

export const PERMISSIONS = {
  /** Organisations, contacts, pipeline, tasks (CRM). */
  "crm.view": STAFF,
  "crm.edit": STAFF,
  "crm.import": ["admin", "manager"],
  "crm.export": ["admin", "manager"],
  "crm.merge": ["admin", "manager"],
  /** Requests and visits: schedule, consult, submit for approval, cancel, record results. */
  "visits.manage": STAFF,
  /** 本市の承認: only city officials decide (separation of duties, seed 003 §5(2)). */
  "visits.approve": ["city"],
  /**
   * The contact person's name and phone from a request. Staff arrange the
   * visit with them; city officials see them only on asking (「連絡先を表示」
   * on the decision page), and every such look is audited.
   */
  "visits.contact": ["admin", "manager", "outreach", "city"],
  "calendar.view": EVERYONE,
  "calendar.plan": STAFF,
  "venues.manage": STAFF,
  /** 従事者名簿: the people who may be put on session rosters (the manager keeps it). */
  "staff.roster": ["admin", "manager"],
  /** 事故・苦情: staff record them; city officials see them until closed (seed 000 §5(9)). */
  "incidents.view": EVERYONE,
  /** The contract's reports (issue 13): everyone reads them (the city only what was submitted); staff keep draft remarks; the manager submits. */
  "reports.view": EVERYONE,
  "reports.write": ["admin", "manager", "outreach"],
  "reports.submit": ["admin", "manager"],
  /** 本市の確認: city officials acknowledge submitted reports. */
  "reports.acknowledge": ["city"],
  /** /progress: the targets dashboard for every signed-in role. */
  "progress.view": EVERYONE,
  // Retention: kept for the open issue that builds it (16), not yet used by a feature.
  "admin.users": ["admin"],
  "admin.settings": ["admin"],
  "admin.outbox": ["admin"],
  "admin.audit": ["admin"],
  "admin.retention": ["admin"],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

/** The roles that hold a permission (e.g. who may own an organisation in the CRM). */
export function rolesWith(permission: Permission): Role[] {
  return [...(PERMISSIONS[permission] as readonly Role[])];
}

export function can(role: Role | null | undefined, permission: Permission): boolean {
  return !!role && (PERMISSIONS[permission] as readonly Role[]).includes(role);
}

/** Where each role lands after signing in. */
export function homePathFor(role: Role): string {
  switch (role) {
    case "admin":
      return "/admin";
    case "city":
      return "/city";
    default:
      return "/staff";
  }
}

export type NavItem = { to: string; label: string; permission: Permission };

/** Navigation per role, filtered by permission. */
const NAV: NavItem[] = [
  { to: "/staff", label: "今日", permission: "crm.view" },
  { to: "/city", label: "承認", permission: "visits.approve" },
  { to: "/staff/organisations", label: "団体", permission: "crm.view" },
  { to: "/staff/pipeline", label: "パイプライン", permission: "crm.view" },
  { to: "/staff/visits", label: "訪問", permission: "visits.manage" },
  { to: "/calendar", label: "カレンダー", permission: "calendar.view" },
  { to: "/staff/venues", label: "会場", permission: "venues.manage" },
  { to: "/staff/inquiries", label: "問合せ", permission: "visits.manage" },
  { to: "/staff/pr", label: "広報", permission: "visits.manage" },
  { to: "/staff/team", label: "従事者", permission: "staff.roster" },
  { to: "/reports", label: "報告書", permission: "reports.view" },
  { to: "/progress", label: "進捗", permission: "progress.view" },
  { to: "/admin", label: "管理", permission: "admin.users" },
];

export function navFor(role: Role): NavItem[] {
  return NAV.filter((item) => can(role, item.permission));
}
