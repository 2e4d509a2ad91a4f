import { render } from 'preact';
import { LocationProvider, Route, Router, useLocation } from 'preact-iso';
import { useEffect, useLayoutEffect, useMemo, useState } from 'preact/hooks';
import { call, client } from './api.js';
import { initialLang, translator, type Lang } from './i18n.js';
import { LoginPage } from './pages/login.js';
import { NotFoundPage } from './pages/not-found.js';
import { HOME_PATH, routesFor } from './routes.js';
import type { Me } from './session.js';
import { adminTranslator } from './pages/admin/admin-i18n.js';
import { SetPasswordPage } from './pages/admin/set-password.js';
import { NotificationBell } from './notification-bell.js';

/** Links written before the router (`/#/requests/INT-…`) still lead to their page. */
if (location.hash.startsWith('#/')) history.replaceState(null, '', location.hash.slice(1));

function Redirect({ to }: { to: string }) {
  const { route } = useLocation();
  useEffect(() => route(to, true), [to]);
  return null;
}

function App() {
  const [lang, setLang] = useState<Lang>(initialLang());
  const t = useMemo(() => translator(lang), [lang]);
  const { path, route } = useLocation();
  const [passwordSet, setPasswordSet] = useState(false);
  const [me, setMe] = useState<Me | null | undefined>(undefined);
  const [menuOpen, setMenuOpen] = useState(false);
  // A layout effect, so the page never shows text in one language under a `lang` of the other
  // (screen readers pick their voice from it).
  useLayoutEffect(() => {
    document.documentElement.lang = lang;
    localStorage.setItem('lang', lang);
  }, [lang]);
  useEffect(() => {
    // Not signed in (401), or the API unreachable: the sign-in form.
    call(client.GET('/api/auth/me'))
      .then(({ user }) => setMe(user))
      .catch(() => setMe(null));
  }, []);
  // A new page closes the (narrow-screen) menu.
  useEffect(() => setMenuOpen(false), [path]);

  async function signOut() {
    await call(client.POST('/api/auth/logout')).catch(() => undefined);
    setMe(null);
  }

  const routes = routesFor(me?.role);
  const links = routes.filter((r) => r.nav);

  return (
    <>
      <a class="skip-link" href="#main">
        {t('nav.skip')}
      </a>
      <header class="top">
        <span class="brand">Intervention</span>
        {me && (
          <button
            type="button"
            class="menu-button"
            aria-expanded={menuOpen}
            aria-controls="main-nav"
            onClick={() => setMenuOpen(!menuOpen)}
          >
            {t('nav.menu')}
          </button>
        )}
        <nav id="main-nav" class={menuOpen ? 'open' : ''} aria-label={t('nav.label')}>
          {links.map((r) => (
            <a
              key={r.path}
              href={r.path}
              class={path.startsWith(r.path) ? 'active' : ''}
              aria-current={path === r.path ? 'page' : undefined}
            >
              {t(r.nav!)}
            </a>
          ))}
          <a href="/api/openapi.json" target="_blank" rel="noreferrer">
            {t('nav.api')}
          </a>
        </nav>
        <div class="top-tools">
          {me && (
            <>
              <NotificationBell t={t} lang={lang} />
              <span data-testid="signed-in-as">{me.displayName ?? me.email}</span>
              <button type="button" onClick={() => void signOut()}>
                {t('nav.logout')}
              </button>
            </>
          )}
          <select aria-label={t('lang.label')} value={lang} onChange={(e) => setLang((e.target as HTMLSelectElement).value as Lang)}>
            <option value="fr" lang="fr">
              Français
            </option>
            <option value="en" lang="en">
              English
            </option>
          </select>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        {path === '/set-password' ? (
          // The one-time link of an invitation or a reset: its own page, signed in or not.
          <SetPasswordPage
            t={adminTranslator(t)}
            onDone={() => {
              setPasswordSet(true);
              setMe(null);
              route(HOME_PATH, true);
            }}
          />
        ) : me === undefined ? null : me === null ? (
          <>
            {passwordSet && (
              <div class="success" role="status" data-testid="password-set">
                {t('admin:password.done')}
              </div>
            )}
            <LoginPage t={t} onSignedIn={setMe} />
          </>
        ) : (
          <Router>
            {[
              <Route key="/" path="/" component={Redirect} to={HOME_PATH} />,
              ...routes.map((r) => <Route key={r.path} path={r.path} component={r.component} t={t} lang={lang} me={me} />),
              <Route key="404" default component={NotFoundPage} t={t} />,
            ]}
          </Router>
        )}
      </main>
    </>
  );
}

render(
  // `/api/…` links (downloads, the OpenAPI document) are left to the browser.
  <LocationProvider scope={/^\/(?!api\/|healthz)/}>
    <App />
  </LocationProvider>,
  document.getElementById('app')!,
);
