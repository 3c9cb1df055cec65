/**
 * Static, fictional material for the demo data (db/demo/seed.ts). The city
 * "あおば市" and every person and organisation here are invented.
 */
import type { OrganisationKind, Stage, VisitMode } from "../schema";

export const CITY = "あおば市";

export type DemoUser = { key: string; email: string; name: string; role: "admin" | "manager" | "outreach" | "city" };

export const DEMO_USERS: DemoUser[] = [
  { key: "admin", email: "admin@demo.example", name: "管理 花子", role: "admin" },
  { key: "manager", email: "manager@demo.example", name: "統括 健一", role: "manager" },
  { key: "outreach", email: "outreach@demo.example", name: "佐々木 翔太", role: "outreach" },
  { key: "city", email: "city@demo.example", name: "工藤 美和", role: "city" },
  { key: "outreach2", email: "outreach2@demo.example", name: "三上 由佳", role: "outreach" },
  { key: "outreach3", email: "outreach3@demo.example", name: "成田 大輔", role: "outreach" },
  { key: "city2", email: "city2@demo.example", name: "相馬 直樹", role: "city" },
];

/** name, kana, town (for addresses), postal prefix, population, issue rate (%). */
export const DISTRICTS: { name: string; kana: string; town: string; postal: string; population: number; rate: number }[] = [
  { name: "中央地区", kana: "ちゅうおうちく", town: "中央", postal: "038-00", population: 38200, rate: 81 },
  { name: "青葉地区", kana: "あおばちく", town: "青葉", postal: "038-01", population: 27400, rate: 74 },
  { name: "港町地区", kana: "みなとまちちく", town: "港町", postal: "038-02", population: 19800, rate: 58 },
  { name: "桜川地区", kana: "さくらがわちく", town: "桜川", postal: "038-03", population: 24600, rate: 77 },
  { name: "北野地区", kana: "きたのちく", town: "北野", postal: "038-04", population: 15300, rate: 63 },
  { name: "東浜地区", kana: "ひがしはまちく", town: "東浜", postal: "038-05", population: 11900, rate: 55 },
  { name: "西田地区", kana: "にしだちく", town: "西田", postal: "038-06", population: 21700, rate: 69 },
  { name: "南台地区", kana: "みなみだいちく", town: "南台", postal: "038-07", population: 33100, rate: 84 },
  { name: "緑ヶ丘地区", kana: "みどりがおかちく", town: "緑ヶ丘", postal: "038-08", population: 17800, rate: 79 },
  { name: "川原地区", kana: "かわらちく", town: "川原", postal: "038-09", population: 8600, rate: 52 },
  { name: "山手地区", kana: "やまてちく", town: "山手", postal: "038-10", population: 12400, rate: 66 },
  { name: "奥沢地区", kana: "おくさわちく", town: "奥沢", postal: "038-11", population: 3900, rate: 51 },
];

export type VenueKind = "supermarket" | "bank" | "public_facility" | "community_hall" | "shopping_centre" | "other";

export const VENUES: { name: string; kind: VenueKind; district: number; parking: string; contact?: string }[] = [
  { name: "スーパーあおば 中央店", kind: "supermarket", district: 0, parking: "店舗東側の従業員駐車場に2台分確保済み", contact: "店長 福士" },
  { name: "マルヤマストア 港町店", kind: "supermarket", district: 2, parking: "正面入口横に車両1台。電源は店舗から借用可", contact: "副店長 奈良" },
  { name: "フレッシュマート 北野店", kind: "supermarket", district: 4, parking: "駐車場奥（風除室の向かい）", contact: "店長 須藤" },
  { name: "スーパーあおば 西田店", kind: "supermarket", district: 6, parking: "駐車場第2区画。土日は混雑するため平日のみ", contact: "店長 長内" },
  { name: "とれたて市場 東浜店", kind: "supermarket", district: 5, parking: "搬入口横。9時以降なら駐車可", contact: "店長 蝦名" },
  { name: "あおば信用金庫 本店", kind: "bank", district: 0, parking: "来客用駐車場1台分。ロビー内にテーブル設置", contact: "総務課 船水" },
  { name: "北奥銀行 桜川支店", kind: "bank", district: 3, parking: "支店裏の駐車場。ATMコーナー前は不可", contact: "支店長代理 葛西" },
  { name: "あおば市役所 駅前庁舎", kind: "public_facility", district: 0, parking: "公用車駐車場（市民課で事前連絡）", contact: "市民課" },
  { name: "あおば市民センター", kind: "public_facility", district: 1, parking: "正面玄関前の車寄せ", contact: "センター事務室" },
  { name: "あおば市立中央図書館", kind: "public_facility", district: 0, parking: "職員駐車場の1区画", contact: "図書館事務室" },
  { name: "東浜市民センター", kind: "public_facility", district: 5, parking: "センター駐車場（30台）", contact: "センター事務室" },
  { name: "川原支所", kind: "public_facility", district: 9, parking: "支所前駐車場", contact: "川原支所 市民係" },
  { name: "西田地区公民館", kind: "community_hall", district: 6, parking: "公民館前の広場", contact: "館長 對馬" },
  { name: "南台ふれあい会館", kind: "community_hall", district: 7, parking: "会館駐車場（10台）", contact: "管理人 今井" },
  { name: "山手コミュニティセンター", kind: "community_hall", district: 10, parking: "センター裏の砂利駐車場。冬期は除雪状況を確認", contact: "事務局 櫻庭" },
  { name: "奥沢農村環境改善センター", kind: "community_hall", district: 11, parking: "敷地内駐車場。冬期は要確認", contact: "奥沢支所" },
  { name: "あおばモール", kind: "shopping_centre", district: 1, parking: "1階センターコート。搬入は北側搬入口から", contact: "モール管理事務所" },
  { name: "サンパーク港町", kind: "shopping_centre", district: 2, parking: "2階催事スペース。機材は業務用エレベーターで搬入", contact: "サンパーク管理事務所" },
  { name: "ショッピングプラザ北野", kind: "shopping_centre", district: 4, parking: "1階イベント広場", contact: "プラザ総務" },
  { name: "緑ヶ丘タウンスクエア", kind: "shopping_centre", district: 8, parking: "食品館入口前の催事区画", contact: "タウンスクエア管理室" },
  { name: "道の駅あおば", kind: "other", district: 11, parking: "大型車駐車場の端に駐車可", contact: "駅長 山内" },
];

export type GroupStatus =
  | "requested"
  | "screening"
  | "awaiting_city"
  | "changes_requested"
  | "approved"
  | "completed"
  | "declined"
  | "cancelled";

export type DemoOrg = {
  name: string;
  kind: OrganisationKind;
  district: number;
  slug: string;
  headCount: number;
  expected: number;
  stage: Stage;
  owner: "outreach" | "outreach2" | "outreach3";
  /** 担当者の役職 */
  role: string;
  /** days from today; null: none */
  nextAction?: { offset: number; note: string };
  lost?: { reason: string; atStage: Stage };
  visit?: {
    status: GroupStatus;
    mode: VisitMode;
    /** days from today (completed: in the past) */
    offset: number;
    slot: "am" | "pm" | "allday";
    source: "web" | "phone" | "staff";
    venueText: string;
    parking: "yes" | "no" | "ask";
    weekendOk?: boolean;
    message?: string;
    /** The city's comment (changes_requested, declined) or the cancellation reason. */
    reason?: string;
    notes?: string;
    /** cancelled: by staff (after a phone call) or by the organisation on its status page. */
    cancelledBy?: "staff" | "organisation";
    /**
     * How it got to its status, when not the straight path:
     * "resubmitted": the city asked for changes once (`changesComment`), staff re-submitted, then approved;
     * "reapproval": approved, then moved to another day at the organisation's request, so back with the city.
     */
    flow?: "resubmitted" | "reapproval";
    changesComment?: string;
  };
  notes?: string;
};

export const ORGS: DemoOrg[] = [
  // ---- completed group visits ----
  {
    name: "株式会社あおば精機", kind: "company", district: 3, slug: "aoba-seiki", headCount: 280, expected: 40, stage: "visited",
    owner: "outreach", role: "総務課長",
    visit: { status: "completed", mode: "accept", offset: -82, slot: "pm", source: "staff", venueText: "本社工場 2階 会議室", parking: "yes" },
  },
  {
    name: "中央三丁目町内会", kind: "neighbourhood", district: 0, slug: "chuo3-chonaikai", headCount: 900, expected: 30, stage: "visited",
    owner: "outreach2", role: "会長",
    visit: { status: "completed", mode: "accept", offset: -71, slot: "am", source: "phone", venueText: "中央三丁目集会所", parking: "yes", weekendOk: true },
  },
  {
    name: "社会福祉法人みどり会 特別養護老人ホーム緑風園", kind: "welfare", district: 8, slug: "ryokufuen", headCount: 120, expected: 25, stage: "revisit",
    owner: "outreach", role: "施設長",
    nextAction: { offset: -2, note: "入所者家族向けの再訪日程を提案" },
    visit: { status: "completed", mode: "accept", offset: -60, slot: "am", source: "staff", venueText: "緑風園 1階 多目的ホール", parking: "yes", notes: "車椅子の方が多いため、撮影は居室近くの談話室で実施" },
  },
  {
    name: "港町漁業協同組合", kind: "other", district: 2, slug: "minato-gyokyo", headCount: 150, expected: 35, stage: "visited",
    owner: "outreach3", role: "事務局長",
    visit: { status: "completed", mode: "accept", offset: -47, slot: "pm", source: "phone", venueText: "組合事務所 2階 会議室", parking: "yes" },
  },
  {
    name: "医療法人 桜川クリニック", kind: "medical", district: 3, slug: "sakuragawa-clinic", headCount: 45, expected: 15, stage: "visited",
    owner: "outreach2", role: "事務長",
    visit: { status: "completed", mode: "accept", offset: -36, slot: "pm", source: "web", venueText: "クリニック 2階 職員休憩室", parking: "ask" },
  },
  {
    name: "ケアハウスひだまり北野", kind: "welfare", district: 4, slug: "hidamari-kitano", headCount: 60, expected: 20, stage: "visited",
    owner: "outreach", role: "生活相談員",
    visit: { status: "completed", mode: "accept", offset: -23, slot: "am", source: "staff", venueText: "ひだまり 食堂", parking: "yes" },
  },
  {
    name: "有限会社東浜運送", kind: "company", district: 5, slug: "higashihama-unso", headCount: 85, expected: 20, stage: "revisit",
    owner: "outreach3", role: "総務部長",
    nextAction: { offset: 6, note: "夜勤シフトの社員向けに再訪を相談" },
    visit: { status: "completed", mode: "accept", offset: -15, slot: "pm", source: "phone", venueText: "本社 休憩室", parking: "yes" },
  },
  {
    name: "西田地区連合町内会", kind: "neighbourhood", district: 6, slug: "nishida-rengo", headCount: 1500, expected: 45, stage: "visited",
    owner: "outreach2", role: "事務局",
    visit: { status: "completed", mode: "accept", offset: -7, slot: "allday", source: "staff", venueText: "西田地区公民館 大広間", parking: "yes", weekendOk: true },
  },
  // ---- approved ----
  {
    name: "株式会社みなと食品", kind: "company", district: 2, slug: "minato-shokuhin", headCount: 320, expected: 50, stage: "confirmed",
    owner: "outreach", role: "人事担当",
    nextAction: { offset: 1, note: "当日の会場レイアウトを最終確認" },
    visit: { status: "approved", mode: "accept", offset: 3, slot: "pm", source: "staff", venueText: "第二工場 食堂", parking: "yes", message: "昼休み明けの時間帯を希望します。" },
  },
  {
    name: "あおば市立南台中学校", kind: "school", district: 7, slug: "minamidai-jhs", headCount: 55, expected: 12, stage: "confirmed",
    owner: "outreach2", role: "教頭",
    nextAction: { offset: 0, note: "教職員への周知文を送付" },
    visit: { status: "approved", mode: "accept", offset: 11, slot: "pm", source: "web", venueText: "職員室横 会議室", parking: "yes", message: "教職員向けです。放課後の時間帯でお願いします。" },
  },
  {
    name: "緑ヶ丘二丁目自治会", kind: "neighbourhood", district: 8, slug: "midorigaoka2", headCount: 600, expected: 28, stage: "confirmed",
    owner: "outreach3", role: "会長",
    visit: {
      status: "approved", mode: "accept", offset: 19, slot: "am", source: "phone", venueText: "緑ヶ丘二丁目集会所", parking: "ask", weekendOk: true,
      flow: "resubmitted", changesComment: "集会所前の道路が狭いため、ラッピングカーの駐車位置を団体と確認してから再申請してください。",
    },
  },
  // ---- awaiting city ----
  {
    name: "株式会社北奥建設", kind: "company", district: 1, slug: "hokuoku-kensetsu", headCount: 190, expected: 35, stage: "awaiting_city",
    owner: "outreach", role: "総務課長",
    visit: {
      status: "awaiting_city", mode: "accept", offset: 16, slot: "am", source: "staff", venueText: "本社 3階 大会議室", parking: "yes",
      flow: "reapproval", notes: "承認後、社内の安全大会と重なるため団体の依頼で日程を変更",
    },
  },
  {
    name: "社会福祉法人山手福祉会 障害者支援施設やまて園", kind: "welfare", district: 10, slug: "yamate-en", headCount: 80, expected: 18, stage: "awaiting_city",
    owner: "outreach2", role: "施設長",
    visit: { status: "awaiting_city", mode: "accept", offset: 25, slot: "pm", source: "staff", venueText: "やまて園 作業棟 多目的室", parking: "yes" },
  },
  // ---- changes requested ----
  {
    name: "川原地区老人クラブ連合会", kind: "other", district: 9, slug: "kawara-rojin", headCount: 210, expected: 25, stage: "applied",
    owner: "outreach3", role: "会長",
    nextAction: { offset: -1, note: "駐車スペースの確保を会長に再確認" },
    visit: {
      status: "changes_requested", mode: "accept", offset: 30, slot: "am", source: "phone", venueText: "川原支所 2階 会議室", parking: "ask",
      reason: "会場の駐車スペースが未確定です。ラッピングカーの駐車位置を団体と確認のうえ、再度申請してください。",
    },
  },
  // ---- requested (new) ----
  {
    name: "あおば歯科医院", kind: "medical", district: 1, slug: "aoba-shika", headCount: 20, expected: 8, stage: "applied",
    owner: "outreach2", role: "院長",
    nextAction: { offset: 0, note: "申込内容の確認電話" },
    visit: { status: "requested", mode: "accept", offset: 0, slot: "pm", source: "web", venueText: "医院 待合室（休診日）", parking: "no", message: "木曜が休診日です。スタッフと家族で8名程度の予定です。" },
  },
  {
    name: "桜川台町内会", kind: "neighbourhood", district: 3, slug: "sakuragawadai", headCount: 480, expected: 22, stage: "applied",
    owner: "outreach", role: "副会長",
    nextAction: { offset: 1, note: "申込内容の確認電話" },
    visit: { status: "requested", mode: "accept", offset: 0, slot: "am", source: "web", venueText: "桜川台町内会館", parking: "yes", message: "高齢の会員が多いので、写真撮影の手伝いをお願いしたいです。" },
  },
  // ---- screening ----
  {
    name: "株式会社あおばシステム開発", kind: "company", district: 0, slug: "aoba-system", headCount: 140, expected: 30, stage: "applied",
    owner: "outreach3", role: "総務部長",
    nextAction: { offset: 2, note: "日程候補のうち第2希望で調整" },
    visit: { status: "screening", mode: "accept", offset: 0, slot: "pm", source: "web", venueText: "本社 5階 セミナールーム", parking: "no", message: "社屋に駐車場がありません。近隣のコインパーキングで可能でしょうか。" },
  },
  {
    name: "学校法人あおば学園 あおば保育園", kind: "school", district: 1, slug: "aoba-hoikuen", headCount: 30, expected: 10, stage: "applied",
    owner: "outreach", role: "園長",
    nextAction: { offset: 3, note: "保護者向け案内文の有無を確認" },
    visit: { status: "screening", mode: "accept", offset: 0, slot: "pm", source: "phone", venueText: "保育園 遊戯室（お迎え時間帯）", parking: "yes" },
  },
  // ---- declined ----
  {
    name: "あおばゴルフ愛好会", kind: "other", district: 1, slug: "aoba-golf", headCount: 12, expected: 6, stage: "lost",
    owner: "outreach2", role: "幹事",
    visit: {
      status: "declined", mode: "accept", offset: 21, slot: "am", source: "web", venueText: "会長宅 車庫", parking: "yes",
      reason: "申請予定人数が少なく、近隣の巡回会場（あおば市民センター）で対応可能なため。",
    },
  },
  // ---- cancelled ----
  {
    name: "北野三丁目町内会", kind: "neighbourhood", district: 4, slug: "kitano3", headCount: 520, expected: 25, stage: "lost",
    owner: "outreach3", role: "会長",
    nextAction: { offset: 45, note: "来年度の日程を再相談" },
    visit: {
      status: "cancelled", mode: "accept", offset: 9, slot: "am", source: "phone", venueText: "北野三丁目会館", parking: "yes",
      cancelledBy: "staff", reason: "町内会行事の日程変更のため（会長より電話連絡）。来年度あらためて相談予定。",
    },
  },
  {
    name: "株式会社あおば印刷", kind: "company", district: 4, slug: "aoba-insatsu", headCount: 75, expected: 18, stage: "lost",
    owner: "outreach", role: "総務課長",
    visit: {
      status: "cancelled", mode: "accept", offset: 13, slot: "pm", source: "web", venueText: "本社 2階 会議室", parking: "yes",
      message: "月末は避けていただけると助かります。",
      cancelledBy: "organisation", reason: "決算作業と重なったため、今回は取り消します。来年度にあらためて申し込みます。",
    },
  },
  // ---- leads without a visit ----
  { name: "株式会社ほくと電設", kind: "company", district: 6, slug: "hokuto-densetsu", headCount: 95, expected: 20, stage: "uncontacted", owner: "outreach", role: "総務担当" },
  { name: "港町五丁目町内会", kind: "neighbourhood", district: 2, slug: "minato5", headCount: 380, expected: 18, stage: "uncontacted", owner: "outreach3", role: "会長", nextAction: { offset: 4, note: "会長へ初回の電話" } },
  { name: "グループホームさくら", kind: "welfare", district: 3, slug: "gh-sakura", headCount: 18, expected: 9, stage: "uncontacted", owner: "outreach2", role: "管理者" },
  { name: "あおば看護専門学校", kind: "school", district: 0, slug: "aoba-kango", headCount: 160, expected: 40, stage: "uncontacted", owner: "outreach", role: "事務長", nextAction: { offset: -4, note: "学生向け案内の可否を問い合わせ" } },
  { name: "東浜内科胃腸科医院", kind: "medical", district: 5, slug: "higashihama-naika", headCount: 25, expected: 8, stage: "uncontacted", owner: "outreach3", role: "事務長" },
  { name: "株式会社あおば交通", kind: "company", district: 0, slug: "aoba-kotsu", headCount: 410, expected: 60, stage: "contacted", owner: "outreach", role: "総務課長", nextAction: { offset: -3, note: "乗務員の休憩時間帯を確認" } },
  { name: "南台一丁目町内会", kind: "neighbourhood", district: 7, slug: "minamidai1", headCount: 700, expected: 20, stage: "contacted", owner: "outreach2", role: "会長", nextAction: { offset: 0, note: "役員会での検討結果を確認" } },
  { name: "デイサービスセンターはまなす", kind: "welfare", district: 5, slug: "ds-hamanasu", headCount: 40, expected: 15, stage: "contacted", owner: "outreach3", role: "生活相談員", nextAction: { offset: 8, note: "利用者家族への周知方法を相談" } },
  { name: "有限会社西田製麺", kind: "company", district: 6, slug: "nishida-seimen", headCount: 35, expected: 10, stage: "contacted", owner: "outreach2", role: "専務" },
  { name: "あおば市シルバー人材センター", kind: "other", district: 1, slug: "aoba-silver", headCount: 650, expected: 50, stage: "contacted", owner: "outreach", role: "事務局長", nextAction: { offset: 5, note: "会員向け研修日との合わせ込みを提案" } },
  { name: "株式会社あおばビルサービス", kind: "company", district: 0, slug: "aoba-bldg", headCount: 230, expected: 30, stage: "contacted", owner: "outreach3", role: "人事担当" },
  { name: "株式会社ミナト物流センター", kind: "company", district: 2, slug: "minato-butsuryu", headCount: 260, expected: 45, stage: "consulting", owner: "outreach", role: "総務部長", nextAction: { offset: -1, note: "日程候補（3案）を提示" } },
  { name: "山手町内会", kind: "neighbourhood", district: 10, slug: "yamate-chonaikai", headCount: 540, expected: 25, stage: "consulting", owner: "outreach3", role: "会長", nextAction: { offset: 2, note: "集会所の予約状況を確認" } },
  { name: "社会福祉法人川原福祉会 川原保育園", kind: "school", district: 9, slug: "kawara-hoikuen", headCount: 28, expected: 10, stage: "consulting", owner: "outreach2", role: "園長", nextAction: { offset: 7, note: "保護者会の日程に合わせて提案" } },
  { name: "医療法人北野会 北野病院", kind: "medical", district: 4, slug: "kitano-hospital", headCount: 310, expected: 55, stage: "consulting", owner: "outreach", role: "事務部長", nextAction: { offset: 0, note: "職員向け説明会の資料を送付" } },
  { name: "あおば中央商店街振興組合", kind: "other", district: 0, slug: "chuo-shotengai", headCount: 70, expected: 20, stage: "consulting", owner: "outreach2", role: "理事長" },
  { name: "桜川さくら保育園", kind: "school", district: 3, slug: "sakura-hoikuen", headCount: 24, expected: 8, stage: "consulting", owner: "outreach3", role: "園長", nextAction: { offset: 12, note: "園だより掲載の可否を確認" } },
  {
    name: "株式会社あおばグランドホテル", kind: "company", district: 0, slug: "aoba-grand-hotel", headCount: 120, expected: 25, stage: "lost", owner: "outreach", role: "総務支配人",
    lost: { reason: "繁忙期のため今年度は見送り", atStage: "contacted" },
  },
  {
    name: "東浜二丁目町内会", kind: "neighbourhood", district: 5, slug: "higashihama2", headCount: 260, expected: 12, stage: "lost", owner: "outreach3", role: "会長",
    lost: { reason: "集会所周辺にラッピングカーの駐車スペースが確保できない", atStage: "consulting" },
  },
  {
    name: "あおば農業協同組合 奥沢支店", kind: "other", district: 11, slug: "ja-okusawa", headCount: 180, expected: 30, stage: "contacted", owner: "outreach2", role: "支店長",
    nextAction: { offset: 20, note: "農閑期（1月）の訪問を再提案" },
    notes: "収穫期は難しいとのこと。冬期の組合員集会に合わせると人数が見込める。",
  },
];

export const SURNAMES = [
  "佐藤", "工藤", "木村", "成田", "三上", "鈴木", "高橋", "葛西", "小山内", "福士", "斎藤", "中村",
  "田中", "山内", "櫻庭", "對馬", "奈良", "須藤", "船水", "長内", "蝦名", "相馬", "今井", "大川",
];
export const GIVEN = [
  "健一", "幸子", "和夫", "美智子", "拓也", "由美", "誠", "恵子", "博", "千尋", "浩二", "久美子",
  "正樹", "明美", "勝", "里美", "隆", "典子", "修", "陽子", "達也", "真理", "茂", "直美",
];

export const EXTRA_ROLES: Record<OrganisationKind, string[]> = {
  company: ["人事担当", "総務担当"],
  neighbourhood: ["副会長", "会計"],
  welfare: ["事務長", "看護主任"],
  school: ["事務長", "主任"],
  medical: ["看護部長", "総務係"],
  other: ["事務局", "理事"],
};

