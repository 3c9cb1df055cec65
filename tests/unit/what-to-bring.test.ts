import { describe, expect, it } from "vitest";
import { WHAT_TO_BRING, whatToBringLine } from "../../app/lib/what-to-bring";

/** Issue 15 item 15: what applicants are told to bring names documents that are still issued. */
describe("what to bring", () => {
  it("asks for the health-insurance 資格確認書, not the 健康保険証 that stopped in December 2024", () => {
    const idLine = WHAT_TO_BRING.accept.items[0];
    expect(idLine).toContain("資格確認書");
    expect(idLine).not.toContain("健康保険証");
    // Existing 年金手帳 are still accepted, so it is named only for those who have one.
    expect(idLine).toContain("年金手帳（お持ちの方）");
  });

  it("puts the same list in the calendar line", () => {
    expect(whatToBringLine("accept")).toContain("健康保険の資格確認書");
    expect(whatToBringLine("accept")).not.toContain("健康保険証");
  });
});
