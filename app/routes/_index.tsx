import type { MetaFunction } from "@remix-run/node";
import { Link, useRouteLoaderData } from "@remix-run/react";
import type { loader as rootLoader } from "~/root";
import { homePathFor } from "~/permissions";
import { WindowContactBlock } from "~/components/window-contact";
import { PLAIN_HTML } from "~/lib/hydrate";

// Works as plain HTML: links and plain form posts, no JavaScript sent (docs/decisions/013).
export const handle = PLAIN_HTML;

export const meta: MetaFunction = () => [
  { title: "マイナンバーカード出張申請窓口 | ラッピングカーが伺います" },
  { name: "description", content: "企業・町内会・福祉施設などへマイナンバーカードの出張申請窓口が伺います。申し込みと巡回スケジュールのご案内。" },
];

export default function Home() {
  const root = useRouteLoaderData<typeof rootLoader>("root");
  const user = root?.user;
  return (
    <>
      <section className="hero">
        <div className="hero__inner">
          <h1>マイナンバーカードの申請に、ラッピングカーが伺います</h1>
          <p className="lead">
            市から委託を受けた出張申請窓口です。職場や町内会、福祉施設などにスタッフと申請用の機器を載せた車で伺い、その場でカードの申請をお手伝いします。費用はかかりません。
          </p>
          <div className="row">
            <Link to="/request" className="button button--large">
              団体で出張申請を申し込む
            </Link>
            <Link to="/schedule" className="button button--secondary button--large">
              巡回・拠点のスケジュールを見る
            </Link>
          </div>
          {user ? (
            <p style={{ marginTop: "1rem" }}>
              <Link to={homePathFor(user.role)}>{user.name}さんの業務画面へ</Link>
            </p>
          ) : null}
        </div>
      </section>
      <div className="page page--narrow">
        <h2>こんな団体の方へ</h2>
        <p>企業・事業所、町内会・自治会、福祉施設、学校・保育施設、医療機関など、おおむね5人以上で申請を希望される団体の方がお申し込みいただけます。会場（会議室や集会所など）と、可能であれば車を停める場所をご用意ください。</p>
        <h2>申し込みから当日まで</h2>
        <ol>
          <li>このサイトの申込フォームから、希望日を第3希望まで入力して申し込みます。</li>
          <li>担当者から日程や会場についてご連絡します。</li>
          <li>市の承認を経て訪問日が確定し、メールでお知らせします。</li>
          <li>当日は、申請される方ご本人が会場へお越しください。</li>
        </ol>
        <h2>当日お持ちいただくもの</h2>
        <p>訪問の方式によって異なります。確定のお知らせと状況確認ページでご案内します。マイナンバー（個人番号）をこのサイトに入力する必要はありません。</p>
        <h2>スーパーや公共施設での巡回窓口</h2>
        <p>
          ラッピングカーは市内のスーパーや金融機関、集会場などを巡回し、週末は商業施設などで窓口を開いています。予約は不要です。<Link to="/schedule">スケジュールを見る</Link>
        </p>
        <WindowContactBlock title="お電話でのお問い合わせ・お申し込み" />
      </div>
    </>
  );
}
