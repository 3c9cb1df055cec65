/**
 * What an applicant must bring, per application mode. One place for the public
 * schedule, the request status page, emails and .ics descriptions.
 */
import type { VisitMode } from "../../db/schema";

export type WhatToBring = { title: string; summary: string; items: string[]; note: string };

export const WHAT_TO_BRING: Record<VisitMode, WhatToBring> = {
  accept: {
    title: "出張申請受付方式",
    summary: "その場で市職員が本人確認を行い、カードはご自宅に郵送（本人限定受取郵便）されます。",
    items: [
      "本人確認書類（運転免許証・パスポート・在留カードなど顔写真付きのものは1点、健康保険証・年金手帳など顔写真のないものは2点）",
      "個人番号カード交付申請書（お持ちの方。なくても申請できます）",
      "通知カード・住民基本台帳カード（お持ちの方）",
    ],
    note: "本人確認書類がそろわない場合は、サポート方式での申請になります（カードは後日市役所で受け取り）。",
  },
  support: {
    title: "出張申請サポート方式",
    summary: "申請書の記入と顔写真の撮影をお手伝いします。カードは後日、本人確認書類を持って市役所の窓口で受け取ります。",
    items: [
      "個人番号カード交付申請書（お持ちの方。なくても申請できます）",
      "スマートフォン（オンライン申請をご希望の方）",
    ],
    note: "受け取りの際に本人確認書類が必要です。マイナンバー（個人番号）は職員にお伝えいただく必要はありません。",
  },
};

/** One line for calendars and short texts. */
export function whatToBringLine(mode: VisitMode): string {
  const w = WHAT_TO_BRING[mode];
  return `${w.title}: ${w.items.join("／")}`;
}
