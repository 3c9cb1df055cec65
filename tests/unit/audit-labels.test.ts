import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { AUDIT_ACTION_LABELS, AUDIT_ENTITY_LABELS, auditActionLabel, auditFiltersQuery, auditTargetLabel, parseAuditFilters } from "../../app/lib/audit-labels";
import { TRANSITION_NAMES } from "../../app/visits/lifecycle";

describe("the audit log reads in Japanese", () => {
  // Written out by hand: what an administrator reads for these codes.
  it.each([
    ["auth.login", "サインイン"],
    ["auth.login_failed", "サインイン失敗"],
    ["settings.updated", "設定を変更"],
    ["crm.organisations_export", "団体一覧をCSV出力"],
    ["visit.view", "訪問を閲覧"],
    ["visit.contact_view", "団体の連絡先を表示"],
    ["visit.approve", "市が承認"],
    ["visit.agree_schedule", "市が月間予定に合意"],
    ["visit.return_schedule", "市が月間予定の一部を差し戻し"],
    ["visit.results.correct", "実績を修正"],
    ["audit.export", "操作記録をCSV出力"],
  ])("%s reads 「%s」", (code, label) => {
    expect(auditActionLabel(code)).toBe(label);
  });

  it.each([
    ["organisation", "12", "団体 #12"],
    ["visit", "7", "訪問・予定 #7"],
    ["schedule_month", "2026-11", "月間予定 2026-11"],
    ["settings", null, "設定"],
    [null, null, ""],
  ])("target %s %s reads 「%s」", (entity, id, label) => {
    expect(auditTargetLabel(entity, id)).toBe(label);
  });

  it("shows an unlabelled code marked, not hidden", () => {
    expect(auditActionLabel("something.new")).toBe("その他の操作（something.new）");
  });

  it("has a label for every action code and target the app writes", () => {
    // Every `action: "…"` (and both sides of `action: x ? "…" : "…"`) in app/, plus the lifecycle's visit.<transition>.
    const codes = new Set<string>(TRANSITION_NAMES.map((t) => `visit.${t}`));
    const entities = new Set<string>();
    const walk = (dir: string): string[] =>
      fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : /\.tsx?$/.test(e.name) ? [path.join(dir, e.name)] : []));
    for (const file of walk(path.resolve("app"))) {
      if (file.endsWith("audit-labels.ts")) continue;
      const source = fs.readFileSync(file, "utf8");
      if (!source.includes("audit(")) continue;
      for (const m of source.matchAll(/action:\s*([^,\n]*(?:\?[^,\n]*)?)/g)) for (const s of m[1].matchAll(/"([a-z_]+\.[a-z_.]+)"/g)) codes.add(s[1]);
      for (const m of source.matchAll(/entity:\s*"([a-z_]+)"/g)) entities.add(m[1]);
    }
    expect(codes.size).toBeGreaterThan(60);
    expect([...codes].filter((c) => !(c in AUDIT_ACTION_LABELS))).toEqual([]);
    expect([...entities].filter((e) => !(e in AUDIT_ENTITY_LABELS))).toEqual([]);
  });
});

describe("audit log filters", () => {
  it("reads person, action, target and dates from the query, and writes them back", () => {
    const { filters, problems } = parseAuditFilters(new URLSearchParams("user=3&action=visit.approve&entity=visit&entityId=12&from=2026-11-01&to=2026-11-30&page=2"));
    expect(problems).toEqual([]);
    expect(filters).toEqual({ user: 3, action: "visit.approve", entity: "visit", entityId: "12", from: "2026-11-01", to: "2026-11-30" });
    expect(auditFiltersQuery(filters)).toBe("user=3&action=visit.approve&entity=visit&entityId=12&from=2026-11-01&to=2026-11-30");
  });

  it("says in Japanese what it could not read, and swaps a reversed date range", () => {
    const { filters, problems } = parseAuditFilters(new URLSearchParams("user=0x1&from=2026-13-01&to=2026-11-05"));
    expect(filters.user).toBeNull();
    expect(filters.from).toBeNull();
    expect(problems).toEqual(["利用者の指定が読めません。一覧から選び直してください。", "開始日は「2026-11-01」の形の日付で指定してください。"]);
    const swapped = parseAuditFilters(new URLSearchParams("from=2026-11-30&to=2026-11-01"));
    expect(swapped.filters).toMatchObject({ from: "2026-11-01", to: "2026-11-30" });
    expect(swapped.problems).toEqual(["開始日が終了日より後になっていたため、入れ替えました。"]);
  });

  it("takes system actions (no signed-in user) as their own choice", () => {
    expect(parseAuditFilters(new URLSearchParams("user=system")).filters.user).toBe("system");
  });
});
