/**
 * What an applicant must bring, per application mode. The one text for the
 * request form, the status page, emails, the public schedule and .ics feeds.
 */
import type { VisitMode } from "../../db/schema";

export type WhatToBring = { title: string; summary: string; items: string[]; note: string };

export const WHAT_TO_BRING: Record<VisitMode, WhatToBring> = {
  accept: {
    title: "出張申請受付方式",
    summary: "当日、市の職員がその場で本人確認を行います。カードは後日、本人限定受取郵便でご自宅に届きます。",
    items: [
      // 健康保険証 stopped being issued in December 2024 (資格確認書 replaces it); new 年金手帳 stopped in 2022 but
      // existing ones are still accepted (issue 15 item 15).
      "本人確認書類：運転免許証・パスポート・在留カードなど顔写真付きのもの1点、または健康保険の資格確認書・年金手帳（お持ちの方）・介護保険被保険者証など顔写真のないもの2点",
      "通知カード、または個人番号通知書（お持ちの方のみ）",
      "住民基本台帳カード（お持ちの方のみ）",
      "個人番号カード交付申請書（お持ちの方のみ。なくても申請できます）",
    ],
    note: "本人確認書類がそろわない方は、サポート方式での申請になります（カードは後日、市役所の窓口で受け取ります）。",
  },
  support: {
    title: "出張申請サポート方式",
    summary: "申請書の記入と顔写真の撮影をお手伝いします。当日お持ちいただくものは特にありません。",
    items: ["個人番号カード交付申請書（お持ちの方のみ。なくても申請できます）", "スマートフォン（ご自分の端末でオンライン申請をしたい方）"],
    note: "カードは後日、市から届く交付通知書と本人確認書類を持って、市役所の窓口で受け取ります。",
  },
};

export const NO_INDIVIDUAL_NUMBER_NOTE =
  "マイナンバー（個人番号）は、この申込や私たちへのご連絡に書かないでください。申請書にはご本人が当日ご記入いただきます。";

/** One line for calendars and short texts. */
export function whatToBringLine(mode: VisitMode): string {
  const w = WHAT_TO_BRING[mode];
  return `${w.title}: ${w.items.join("／")}`;
}
