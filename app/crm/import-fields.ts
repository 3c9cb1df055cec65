/** Target fields of the organisation CSV import and the headers that suggest them (pure: the mapping screen uses it). */
export const IMPORT_FIELDS = {
  // The organisation list's own export carries its ID: a row naming a registered organisation (same ID and name) is recognised, never added again.
  id: { label: "ID（この一覧から出力したCSVの団体ID）", required: false, guesses: ["ID", "団体ID"] },
  name: { label: "団体名", required: true, guesses: ["団体名", "名称", "団体", "会社名", "事業所名", "施設名", "組織名"] },
  nameKana: { label: "よみがな", required: false, guesses: ["よみがな", "ふりがな", "フリガナ", "ヨミガナ", "よみ", "カナ", "団体名カナ"] },
  kind: { label: "種類", required: false, guesses: ["種類", "種別", "団体種別", "区分", "業種"] },
  postalCode: { label: "郵便番号", required: false, guesses: ["郵便番号", "〒", "郵便"] },
  address: { label: "住所", required: false, guesses: ["住所", "所在地", "住所1"] },
  phone: { label: "電話番号", required: false, guesses: ["電話番号", "電話", "tel", "連絡先電話"] },
  email: { label: "メール", required: false, guesses: ["メール", "メールアドレス", "email", "e-mail", "mail"] },
  headCount: { label: "人数", required: false, guesses: ["人数", "会員数", "職員数", "従業員数", "利用者数", "世帯数"] },
  expectedApplicants: { label: "申請見込み人数", required: false, guesses: ["申請見込み", "申請見込み人数", "見込み人数", "見込"] },
  district: { label: "地区", required: false, guesses: ["地区", "地区名", "地域"] },
  notes: { label: "備考", required: false, guesses: ["備考", "メモ", "特記事項"] },
} as const;
export type ImportField = keyof typeof IMPORT_FIELDS;
