import { describe, expect, it } from "vitest";
import { isDuplicate, isPossibleDuplicate } from "../../app/crm/duplicates";
import { filtersToQuery, parseFilters } from "../../app/crm/filters";
import { priorityScore, type PriorityInput, type PriorityWeights } from "../../app/crm/priority";
import { checkManualMove, LIFECYCLE_STAGES, manualTargets } from "../../app/crm/stages";
import { organisationSearchKey, toHiragana } from "../../app/lib/normalise";

describe("organisation search key (名寄せ)", () => {
  const same: [string, string][] = [
    ["株式会社あおば商事", "（株）あおば商事"],
    ["株式会社あおば商事", "㈱あおば商事"],
    ["株式会社あおば商事", "あおば商事株式会社"],
    ["株式会社あおば商事", "あおば商事"],
    ["あおば商事", "ｱｵﾊﾞ商事"],
    ["あおば商事", "アオバ商事"],
    ["あおば商事", "あおば　商事"],
    ["社会福祉法人みどり会 特別養護老人ホーム緑風園", "（福）みどり会　特別養護老人ホーム緑風園"],
    ["ＡＯＢＡシステム開発", "aoba システム開発"],
    ["有限会社西田製麺", "(有)西田製麺"],
    ["医療法人北野会 北野病院", "医療法人 北野会北野病院"],
  ];
  it.each(same)("%s and %s give the same key", (a, b) => {
    expect(organisationSearchKey(a)).toBe(organisationSearchKey(b));
  });

  const different: [string, string][] = [
    ["あおば商事", "あおば商会"],
    ["港町一丁目町内会", "港町二丁目町内会"],
    ["北野病院", "北野歯科医院"],
  ];
  it.each(different)("%s and %s stay apart", (a, b) => {
    expect(organisationSearchKey(a)).not.toBe(organisationSearchKey(b));
  });

  it("folds katakana readings to hiragana so either finds the other", () => {
    expect(toHiragana("アオバショウジ")).toBe("あおばしょうじ");
  });
});

describe("duplicate rule: same name key and same phone", () => {
  const cases: { a: [string, string | null]; b: [string, string | null]; duplicate: boolean; possible: boolean }[] = [
    { a: ["株式会社あおば商事", "0172-12-3456"], b: ["（株）あおば商事", "0172123456"], duplicate: true, possible: false },
    { a: ["ｱｵﾊﾞ商事", "０１７２－１２－３４５６"], b: ["株式会社あおば商事", "0172-12-3456"], duplicate: true, possible: false },
    { a: ["株式会社あおば商事", "0172-12-3456"], b: ["株式会社あおば商事", "0172-99-0000"], duplicate: false, possible: true },
    { a: ["株式会社あおば商事", null], b: ["株式会社あおば商事", null], duplicate: false, possible: true },
    { a: ["あおば商事", "0172-12-3456"], b: ["あおば商会", "0172-12-3456"], duplicate: false, possible: false },
  ];
  it.each(cases)("$a vs $b", ({ a, b, duplicate, possible }) => {
    const x = { name: a[0], phone: a[1] };
    const y = { name: b[0], phone: b[1] };
    expect(isDuplicate(x, y)).toBe(duplicate);
    expect(isPossibleDuplicate(x, y)).toBe(possible);
  });
});

describe("priority score", () => {
  const weights: PriorityWeights = {
    kind: { welfare: 1, neighbourhood: 0.8, company: 0.6, medical: 0.6, school: 0.5, other: 0.3 },
    headCount: 1,
    districtGap: 1,
    recency: 0.5,
    yield: 0.5,
  };
  const base: PriorityInput = {
    kind: "company",
    headCount: 50,
    expectedApplicants: null,
    districtPopulation: 10000,
    districtCardsIssued: 7000,
    lastVisitOn: null,
    pastApplications: 0,
    pastExpected: 0,
    today: "2026-11-22",
  };

  it("ranks a welfare facility above a company when everything else is equal", () => {
    expect(priorityScore({ ...base, kind: "welfare" }, weights).score).toBeGreaterThan(priorityScore(base, weights).score);
  });

  it("ranks an organisation in a district with fewer cards higher", () => {
    const low = priorityScore({ ...base, districtCardsIssued: 5000 }, weights);
    const high = priorityScore({ ...base, districtCardsIssued: 9000 }, weights);
    expect(low.score).toBeGreaterThan(high.score);
    expect(low.parts.find((p) => p.key === "districtGap")?.explanation).toContain("50%");
  });

  it("prefers bigger groups, up to the full head-count, and uses expected applicants first", () => {
    expect(priorityScore({ ...base, headCount: 80 }, weights).score).toBeGreaterThan(priorityScore({ ...base, headCount: 10 }, weights).score);
    expect(priorityScore({ ...base, headCount: 500 }, weights).score).toBe(priorityScore({ ...base, headCount: 100 }, weights).score);
    expect(priorityScore({ ...base, headCount: 500, expectedApplicants: 10 }, weights).parts[1].value).toBeCloseTo(0.1);
  });

  it("raises organisations not visited for a long time, and never-visited ones most", () => {
    const recent = priorityScore({ ...base, lastVisitOn: "2026-11-01", pastApplications: 20, pastExpected: 20 }, weights);
    const old = priorityScore({ ...base, lastVisitOn: "2026-01-10", pastApplications: 20, pastExpected: 20 }, weights);
    expect(old.score).toBeGreaterThan(recent.score);
    expect(priorityScore(base, weights).parts.find((p) => p.key === "recency")?.value).toBe(1);
  });

  it("uses the yield of past visits (applications ÷ expected), neutral when unknown", () => {
    const good = priorityScore({ ...base, lastVisitOn: "2026-05-01", pastApplications: 30, pastExpected: 30 }, weights);
    const poor = priorityScore({ ...base, lastVisitOn: "2026-05-01", pastApplications: 3, pastExpected: 30 }, weights);
    expect(good.score).toBeGreaterThan(poor.score);
    expect(poor.parts.find((p) => p.key === "yield")?.explanation).toContain("10%");
    expect(priorityScore(base, weights).parts.find((p) => p.key === "yield")?.value).toBe(0.5);
  });

  it("shows a breakdown that adds up to the score, 0–100", () => {
    const r = priorityScore({ ...base, kind: "welfare", headCount: 200, districtCardsIssued: 0 }, weights);
    expect(Math.round(r.parts.reduce((s, p) => s + p.points, 0))).toBe(r.score);
    expect(r.score).toBeLessThanOrEqual(100);
    expect(r.score).toBeGreaterThan(90);
  });

  it("follows the weights: a zero weight removes that part", () => {
    const noDistrict = { ...weights, districtGap: 0 };
    const a = priorityScore({ ...base, districtCardsIssued: 0 }, noDistrict);
    const b = priorityScore({ ...base, districtCardsIssued: 9999 }, noDistrict);
    expect(a.score).toBe(b.score);
  });
});

describe("pipeline stage rules", () => {
  it("refuses the stages the visit lifecycle owns", () => {
    for (const s of LIFECYCLE_STAGES) {
      const r = checkManualMove("consulting", s);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.message).toContain("手動で移動できません");
    }
  });
  it("asks for a reason before 見送り", () => {
    const r = checkManualMove("contacted", "lost", " ");
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toContain("理由");
    expect(checkManualMove("contacted", "lost", "予算がない").ok).toBe(true);
  });
  it("does not let staff pull an organisation out of a visit in progress", () => {
    expect(checkManualMove("awaiting_city", "contacted").ok).toBe(false);
    expect(manualTargets("confirmed")).toEqual([]);
  });
  it("offers 再訪候補 only after a visit", () => {
    expect(manualTargets("visited")).toContain("revisit");
    expect(manualTargets("consulting")).not.toContain("revisit");
    expect(manualTargets("uncontacted")).toEqual(["contacted", "consulting", "lost"]);
  });
});

describe("list filters in the URL", () => {
  it("round-trips and ignores unknown values", () => {
    const f = parseFilters(new URLSearchParams("q=あおば&kind=welfare&district=3&owner=me&band=high&noNext=1&sort=name&page=2&stage=bogus"));
    expect(f).toMatchObject({ q: "あおば", kind: "welfare", district: 3, owner: "me", band: "high", noNextAction: true, sort: "name", page: 2, stage: "" });
    expect(parseFilters(new URLSearchParams(filtersToQuery(f)))).toEqual({ ...f, page: 1 });
  });
});
