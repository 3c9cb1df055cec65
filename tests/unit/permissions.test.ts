import { describe, expect, it } from "vitest";
import { can, homePathFor, navFor, PERMISSIONS, type Permission } from "../../app/permissions";
import { ROLES } from "../../db/schema";

describe("permission module", () => {
  it("lets only city officials approve group visits (separation of duties)", () => {
    expect(ROLES.filter((r) => can(r, "visits.approve"))).toEqual(["city"]);
  });

  it("keeps city officials out of the CRM and staff-only writes", () => {
    for (const p of ["crm.view", "crm.edit", "visits.manage", "calendar.plan", "admin.users"] as Permission[]) {
      expect(can("city", p), p).toBe(false);
    }
  });

  it("keeps user and settings administration to admins", () => {
    for (const p of ["admin.users", "admin.settings", "admin.outbox", "admin.audit"] as Permission[]) {
      expect(ROLES.filter((r) => can(r, p)), p).toEqual(["admin"]);
    }
  });

  it("lets the manager and admins keep the staff list, and shows incidents to city officials too", () => {
    expect(ROLES.filter((r) => can(r, "staff.roster"))).toEqual(["admin", "manager"]);
    expect(ROLES.filter((r) => can(r, "incidents.view"))).toEqual(["admin", "manager", "outreach", "city"]);
  });

  it("lets staff and city officials see a request's contact person (the city on asking, audited)", () => {
    expect(ROLES.filter((r) => can(r, "visits.contact"))).toEqual(["admin", "manager", "outreach", "city"]);
  });

  it("refuses everything to someone without a role", () => {
    for (const p of Object.keys(PERMISSIONS) as Permission[]) {
      expect(can(null, p)).toBe(false);
      expect(can(undefined, p)).toBe(false);
    }
  });

  it("sends each role to its own home and shows only what it may open", () => {
    expect(homePathFor("admin")).toBe("/admin");
    expect(homePathFor("city")).toBe("/city");
    expect(homePathFor("outreach")).toBe("/staff");
    expect(homePathFor("manager")).toBe("/staff");
    for (const role of ROLES) {
      for (const item of navFor(role)) expect(can(role, item.permission)).toBe(true);
    }
    expect(navFor("city").map((i) => i.to)).toContain("/city");
    expect(navFor("city").map((i) => i.to)).not.toContain("/staff/organisations");
  });
});
