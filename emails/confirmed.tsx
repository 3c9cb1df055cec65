import { BringSection, bringText } from "./bring";
import { EmailLayout, Facts, textFacts, textLayout } from "./layout";
import type { VisitEmailData } from "./types";

export const confirmedSubject = (d: VisitEmailData) => `【${d.receiptNo}】出張申請窓口の訪問日が確定しました`;
const TITLE = "訪問日が確定しました";

const facts = (d: VisitEmailData): [string, string | null][] => [
  ["日時", d.when],
  ["場所", d.place ?? d.venueText],
  ["申請予定人数", d.expectedApplicants ? `${d.expectedApplicants}人` : null],
];

export function ConfirmedEmail({ data }: { data: VisitEmailData }) {
  return (
    <EmailLayout data={data} title={TITLE}>
      <p>市の承認を受け、次のとおり訪問日が確定しました。当日はどうぞよろしくお願いいたします。</p>
      <Facts rows={facts(data)} />
      <p>カレンダーに登録できるファイル（.ics）を添付しています。</p>
      <BringSection mode={data.mode} />
      <p>ご都合が悪くなった場合は、訪問日の{data.cancelCutoffDays}日前まで状況確認ページから取り消せます。それ以降は窓口（電話 {data.window.windowPhone}）までお電話ください。</p>
    </EmailLayout>
  );
}

export function confirmedText(d: VisitEmailData): string {
  return textLayout(d, TITLE, [
    "市の承認を受け、次のとおり訪問日が確定しました。当日はどうぞよろしくお願いいたします。",
    "",
    ...textFacts(facts(d)),
    "",
    "カレンダーに登録できるファイル（.ics）を添付しています。",
    "",
    ...bringText(d.mode),
    "",
    `ご都合が悪くなった場合は、訪問日の${d.cancelCutoffDays}日前まで状況確認ページから取り消せます。それ以降は窓口（電話 ${d.window.windowPhone}）までお電話ください。`,
  ]);
}
