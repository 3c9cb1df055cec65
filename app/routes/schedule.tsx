import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { dayMarks, listDistricts, listPublicSessions, mapLink, publicMonths } from "~/calendar/public-schedule.server";
import { EmptyState, Pagination } from "~/components/ui";
import { formatDate, todayInTokyo } from "~/lib/dates";
import { parseId } from "~/lib/ids";
import { WHAT_TO_BRING } from "~/lib/what-to-bring";
import { PLAIN_HTML } from "~/lib/hydrate";

// Works as plain HTML: links and plain form posts, no JavaScript sent (docs/decisions/013).
export const handle = PLAIN_HTML;

export const meta: MetaFunction = () => [
  { title: "巡回・拠点窓口のスケジュール | マイナンバーカード出張申請窓口" },
  { name: "description", content: "ラッピングカーの巡回先と、週末の拠点窓口の日程・場所・持ち物のご案内です。予約は不要です。" },
];

const PAGE_SIZE = 30;

/** Public (no sign-in): agreed roaming and base-facility sessions only — never group visits. */
export async function loader({ request }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const rawMonth = url.searchParams.get("month") ?? "";
  const month = /^\d{4}-\d{2}$/.test(rawMonth) ? rawMonth : "";
  const districtId = parseId(url.searchParams.get("district"));
  const page = Math.max(1, Number(url.searchParams.get("page")) || 1);
  const today = todayInTokyo();
  // A month typed into the address keeps showing as chosen, even with nothing in it.
  const months = publicMonths(undefined, today);
  if (month && !months.includes(month)) {
    months.push(month);
    months.sort();
  }
  const all = listPublicSessions({ month, districtId, from: today });
  const pageCount = Math.max(1, Math.ceil(all.length / PAGE_SIZE));
  const current = Math.min(page, pageCount);
  return {
    today,
    month,
    districtId,
    page: current,
    pageCount,
    total: all.length,
    sessions: all
      .slice((current - 1) * PAGE_SIZE, current * PAGE_SIZE)
      .map((s) => ({ ...s, mapUrl: s.address ? mapLink(s.address) : null, marks: dayMarks(s.date) })),
    months,
    districts: listDistricts(),
  };
}

function monthLabel(ym: string) {
  return `${Number(ym.slice(0, 4))}年${Number(ym.slice(5, 7))}月`;
}

export default function Schedule() {
  const data = useLoaderData<typeof loader>();
  const search = new URLSearchParams({ ...(data.month ? { month: data.month } : {}), ...(data.districtId ? { district: String(data.districtId) } : {}) }).toString();
  const districtName = data.districts.find((d) => d.id === data.districtId)?.name;
  // What is shown, in words: on screen under the form, and the heading of the printed sheet.
  const shown = `${data.month ? monthLabel(data.month) : "すべての月"}・${districtName ?? "すべての地区"}`;
  let lastDate = "";
  return (
    <div className="page page--narrow schedule">
      <h1>巡回・拠点窓口のスケジュール</h1>
      <p>
        ラッピングカーや職員が市内を回り、マイナンバーカードの申請をお手伝いします。<strong>予約は不要</strong>です。直接会場へお越しください。
      </p>

      <Form method="get" className="card schedule-filter no-print" aria-label="日程の絞り込み">
        <div className="schedule-filter__fields">
          <div className="field">
            <label htmlFor="month">月</label>
            <select id="month" name="month" defaultValue={data.month}>
              <option value="">すべての月</option>
              {data.months.map((m) => (
                <option key={m} value={m}>
                  {monthLabel(m)}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="district">地区</label>
            <select id="district" name="district" defaultValue={data.districtId ? String(data.districtId) : ""}>
              <option value="">すべての地区</option>
              {data.districts.map((d) => (
                <option key={d.id} value={d.id}>
                  {d.name}
                </option>
              ))}
            </select>
          </div>
        </div>
        <div className="row">
          <button type="submit" className="button">
            絞り込む
          </button>
          {search ? (
            <Link to="/schedule" className="button button--secondary">
              条件をクリア
            </Link>
          ) : null}
        </div>
      </Form>

      <h2 className="schedule-shown">
        {shown}の予定<span className="schedule-shown__as-of">（{formatDate(data.today)}現在）</span>
      </h2>
      <p className="muted small">
        {data.total > 0 ? `${data.total}件の予定があります。` : null}
        {data.pageCount > 1 ? `（${(data.page - 1) * PAGE_SIZE + 1}〜${Math.min(data.page * PAGE_SIZE, data.total)}件目を表示）` : null}
      </p>

      {data.sessions.length === 0 ? (
        <EmptyState>
          <p>{shown}の予定は、今のところありません。</p>
          <p>月や地区を変えてお探しいただくか、後日もう一度ご確認ください。</p>
        </EmptyState>
      ) : (
        <ol className="schedule-list">
          {data.sessions.map((s) => {
            const showDate = s.date !== lastDate;
            lastDate = s.date;
            return (
              <li key={s.id} className={`schedule-item schedule-item--${s.kind}`}>
                {showDate ? (
                  <h2 className="schedule-item__date">
                    {formatDate(s.date)}
                    {s.marks.map((m) => (
                      <span key={m.kind} className={`day-mark day-mark--${m.kind}`}>
                        {m.text}
                      </span>
                    ))}
                    {s.date === data.today ? <span className="badge badge--ok">本日</span> : null}
                  </h2>
                ) : null}
                <article className="card">
                  <p className="schedule-item__time">
                    <strong>
                      {s.startsAt.slice(11, 16)}〜{s.endsAt.slice(11, 16)}
                    </strong>{" "}
                    <span className={`kind kind--${s.kind}`}>{s.kind === "roaming" ? "巡回（ラッピングカー）" : "拠点窓口"}</span>
                  </p>
                  <h3 className="schedule-item__place">{s.venueName}</h3>
                  {s.address ? (
                    <p>
                      {s.address}
                      {s.districtName ? <span className="muted">（{s.districtName}）</span> : null}
                      <br />
                      <a href={s.mapUrl!} target="_blank" rel="noopener noreferrer">
                        地図を開く（Google マップ）
                      </a>
                    </p>
                  ) : null}
                  <details>
                    <summary>
                      {WHAT_TO_BRING[s.mode].title}：持ち物
                    </summary>
                    <p className="small">{WHAT_TO_BRING[s.mode].summary}</p>
                    <ul className="small">
                      {WHAT_TO_BRING[s.mode].items.map((i) => (
                        <li key={i}>{i}</li>
                      ))}
                    </ul>
                    <p className="small muted">{WHAT_TO_BRING[s.mode].note}</p>
                  </details>
                </article>
              </li>
            );
          })}
        </ol>
      )}
      <div className="no-print">
        <Pagination page={data.page} pageCount={data.pageCount} search={search} />
      </div>

      <section className="card no-print" style={{ marginTop: "1.5rem" }}>
        <h2>お使いのカレンダーに登録</h2>
        <p className="small">
          このスケジュールは Google カレンダーや Outlook などに登録できます（変更も自動で反映されます）。
          <br />
          <a href="/schedule.ics">カレンダー形式（.ics）で開く</a>
        </p>
        <p className="small muted">団体向けの出張申請受付は、各団体の会員・従業員の方を対象としているため掲載していません。</p>
      </section>
    </div>
  );
}
