/** Values staff choose between when merging two organisations (pure: the merge screen uses it). */
export const MERGE_FIELDS = {
  name: "団体名",
  nameKana: "よみがな",
  kind: "種類",
  districtId: "地区",
  postalCode: "郵便番号",
  address: "住所",
  phone: "電話番号",
  email: "メール",
  headCount: "人数",
  expectedApplicants: "申請見込み人数",
  ownerId: "担当",
  stage: "段階",
  nextActionOn: "次回予定",
  notes: "メモ",
} as const;
export type MergeField = keyof typeof MERGE_FIELDS;
