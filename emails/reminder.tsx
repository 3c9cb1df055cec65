import { BringSection, bringText } from "./bring";
import { EmailLayout, Facts, textFacts, textLayout } from "./layout";
import type { VisitEmailData } from "./types";

export const reminderSubject = (d: VisitEmailData) => `【${d.receiptNo}】出張申請窓口の訪問日が近づいています`;
const TITLE = "訪問日が近づいています";

const facts = (d: VisitEmailData): [string, string | null][] => [
  ["日時", d.when],
  ["場所", d.place ?? d.venueText],
];

export function ReminderEmail({ data }: { data: VisitEmailData }) {
  return (
    <EmailLayout data={data} title={TITLE}>
      <p>次のとおり、出張申請窓口がお伺いします。申請される皆さまへのご案内をお願いいたします。</p>
      <Facts rows={facts(data)} />
      <BringSection mode={data.mode} />
    </EmailLayout>
  );
}

export function reminderText(d: VisitEmailData): string {
  return textLayout(d, TITLE, [
    "次のとおり、出張申請窓口がお伺いします。申請される皆さまへのご案内をお願いいたします。",
    "",
    ...textFacts(facts(d)),
    "",
    ...bringText(d.mode),
  ]);
}
