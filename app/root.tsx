import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { cssBundleHref } from "@remix-run/css-bundle";
import {
  Form,
  isRouteErrorResponse,
  Link,
  Links,
  Meta,
  NavLink,
  Outlet,
  Scripts,
  ScrollRestoration,
  useLoaderData,
  useMatches,
  useRouteError,
  useRouteLoaderData,
} from "@remix-run/react";
import { useRef, type ReactNode } from "react";
import appStyles from "./styles/app.css";
import { getSessionUser } from "./auth.server";
import { countDeadUnacknowledged } from "./email/outbox.server";
import { useNonce } from "./lib/nonce";
import { pageHydrates } from "./lib/hydrate";
import { navFor, ROLE_LABELS } from "./permissions";
import { getSettings } from "./settings.server";
import { windowContactOf } from "./lib/window-contact";
import { useWindowContact, WindowPhone } from "./components/window-contact";
import { useActiveNavInView } from "./lib/use-active-nav-in-view";
import { useFocusAfterAction } from "./lib/use-focus-after-action";

export const links: LinksFunction = () => [
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
  { rel: "stylesheet", href: appStyles },
  ...(cssBundleHref ? [{ rel: "stylesheet", href: cssBundleHref }] : []),
];

export const meta: MetaFunction = () => [{ title: "マイナンバーカード出張申請窓口" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await getSessionUser(request);
  // Admins see emails that could not be delivered on every page until they act on them.
  const deadEmails = user?.role === "admin" ? countDeadUnacknowledged() : 0;
  // The window's phone number, hours and address: in the footer of every page and on the error pages.
  return { user: user ? { name: user.name, role: user.role, email: user.email } : null, deadEmails, window: windowContactOf(getSettings()) };
}

function Shell({ children }: { children: ReactNode }) {
  const data = useRouteLoaderData<typeof loader>("root");
  const user = data?.user ?? null;
  useActiveNavInView();
  const announcer = useRef<HTMLDivElement>(null);
  useFocusAfterAction(announcer);
  return (
    <>
      <a className="skip-link" href="#main">
        本文へ移動
      </a>
      <header className="site-header">
        <div className="site-header__inner">
          <Link to="/" className="brand">
            <svg className="brand__mark" viewBox="0 0 64 64" width="36" height="36" aria-hidden="true" focusable="false">
              <rect width="64" height="64" rx="12" fill="#fff" />
              <rect x="8" y="22" width="38" height="22" rx="4" fill="#0b5cad" />
              <path d="M46 28h6l6 8v8H46z" fill="#0b5cad" />
              <circle cx="18" cy="46" r="6" fill="#1f2933" />
              <circle cx="48" cy="46" r="6" fill="#1f2933" />
            </svg>
            <span>
              マイナンバーカード<span className="brand__sub">出張申請窓口</span>
            </span>
          </Link>
          {user ? (
            <nav aria-label="業務メニュー" className="site-nav">
              <ul>
                {navFor(user.role).map((item) => (
                  <li key={item.to}>
                    <NavLink to={item.to} end={item.to === "/staff" || item.to === "/admin"} prefetch="intent">
                      {item.label}
                    </NavLink>
                  </li>
                ))}
              </ul>
              <div className="site-nav__user">
                {/* Their own account page (password change). */}
                <NavLink to="/account" aria-label={`${user.name}（${ROLE_LABELS[user.role]}）のアカウント`}>
                  {user.name}
                  <span className="muted">（{ROLE_LABELS[user.role]}）</span>
                </NavLink>
                <Form method="post" action="/logout">
                  <button type="submit" className="button button--quiet button--small">
                    サインアウト
                  </button>
                </Form>
              </div>
            </nav>
          ) : (
            <nav aria-label="サイトメニュー" className="site-nav">
              <ul>
                <li>
                  <NavLink to="/request">出張申請の申し込み</NavLink>
                </li>
                <li>
                  <NavLink to="/schedule">巡回スケジュール</NavLink>
                </li>
                <li>
                  <NavLink to="/login">職員サインイン</NavLink>
                </li>
              </ul>
            </nav>
          )}
        </div>
      </header>
      {data?.deadEmails ? (
        <div className="notice notice--error site-alert" role="status" style={{ margin: 0, borderRadius: 0 }}>
          <p>
            <strong>送信できなかったメールが {data.deadEmails}件 あります。</strong>
            <Link to="/admin/outbox?state=dead">メール送信状況で確認する</Link>
          </p>
        </div>
      ) : null}
      <main id="main" tabIndex={-1}>
        {children}
      </main>
      {/* In the page from the start, so what an action did is announced (see useFocusAfterAction). */}
      <div ref={announcer} className="visually-hidden" aria-live="polite" aria-atomic="true" data-testid="announcer" />
      <footer className="site-footer">
        <SiteFooterContact />
        <p>マイナンバー（個人番号）はこのサイトに入力しないでください。</p>
      </footer>
    </>
  );
}

function SiteFooterContact() {
  const c = useWindowContact();
  return (
    <p className="site-footer__contact">
      お問い合わせ：出張申請窓口 電話 <WindowPhone contact={c} />（{c.windowHours}）
      <br />
      {c.windowAddress}
    </p>
  );
}

export function Layout({ children }: { children: ReactNode }) {
  const nonce = useNonce();
  // Pages that work as plain HTML (handle.hydrate === false) and the error pages ship no JavaScript
  // (docs/decisions/013): no module scripts, no serialised loader data, no scroll-restoration script.
  const hydrate = pageHydrates(useMatches(), useRouteError());
  return (
    <html lang="ja">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content="light" />
        <Meta />
        <Links />
      </head>
      <body>
        {children}
        {hydrate ? (
          <>
            <ScrollRestoration nonce={nonce} />
            <Scripts nonce={nonce} />
          </>
        ) : null}
      </body>
    </html>
  );
}

export default function App() {
  useLoaderData<typeof loader>();
  return (
    <Shell>
      <Outlet />
    </Shell>
  );
}

export function ErrorBoundary() {
  const error = useRouteError();
  let title = "問題が発生しました";
  let message = "申し訳ありません。時間をおいてもう一度お試しください。";
  if (isRouteErrorResponse(error)) {
    if (error.status === 404) {
      title = "ページが見つかりません";
      message = "アドレスが正しいかご確認ください。リンクの有効期限が切れている場合もあります。";
    } else if (error.status === 403) {
      title = "このページを表示する権限がありません";
      message = typeof error.data === "string" ? error.data : "必要な場合は管理者にご相談ください。";
    } else if (error.status === 413) {
      title = "送信内容が大きすぎます";
      message = "内容を短くしてからもう一度お送りください。";
    } else if (typeof error.data === "string" && error.status < 500) {
      message = error.data;
    }
  }
  return (
    <Shell>
      <div className="page page--narrow">
        <h1>{title}</h1>
        <p>{message}</p>
        <ErrorPageContact />
        <p>
          <Link to="/">トップページへ戻る</Link>
        </p>
      </div>
    </Shell>
  );
}

/** On every error page: whom to call when the page does not help. */
function ErrorPageContact() {
  const c = useWindowContact();
  return (
    <p>
      解決しない場合は、出張申請窓口（電話 <WindowPhone contact={c} />、{c.windowHours}）までお問い合わせください。
    </p>
  );
}
