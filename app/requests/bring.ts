/** What members must bring, per application mode (shown on the status page and in emails). Pure. */
import type { VisitMode } from "../../db/schema";

export type BringGuide = { title: string; summary: string; items: string[]; after: string };

export const BRING_GUIDE: Record<VisitMode, BringGuide> = {
  accept: {
    title: "出張申請受付方式（その場で本人確認まで行う方式）",
    summary: "当日、市の職員がその場で本人確認を行います。申請される方は次のものをお持ちください。",
    items: [
      "本人確認書類：運転免許証・パスポートなど顔写真付きのもの1点、または健康保険証と年金手帳など顔写真のないもの2点",
      "通知カード、または個人番号通知書（お持ちの方のみ）",
      "住民基本台帳カード（お持ちの方のみ）",
    ],
    after: "カードは後日、本人限定受取郵便でご自宅に届きます。本人確認書類がそろわない方は、サポート方式での申請になります。",
  },
  support: {
    title: "出張申請サポート方式（申請のお手伝いをする方式）",
    summary: "申請書の記入と顔写真の撮影をお手伝いします。当日お持ちいただくものは特にありません。",
    items: ["交付通知書（申請の後、市から郵送で届きます。受け取りの際にお持ちください）"],
    after: "カードは、交付通知書と本人確認書類を持って市役所の窓口で受け取ります。",
  },
};

export const NO_INDIVIDUAL_NUMBER_NOTE =
  "マイナンバー（個人番号）は、この申込や当社へのご連絡に書かないでください。申請書にはご本人が当日ご記入いただきます。";
