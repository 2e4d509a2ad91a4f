import { render } from 'preact';
import { useEffect, useLayoutEffect, useMemo, useState } from 'preact/hooks';
import { call, client } from './api.js';
import { initialLang, translator, type Lang } from './i18n.js';
import { LoginPage } from './pages/login.js';
import { NewRequestPage } from './pages/new-request.js';
import { OutboxPage } from './pages/outbox.js';
import { PlanningPage } from './pages/planning.js';
import { RequestDetailPage } from './pages/request-detail.js';
import { RequestsPage } from './pages/requests.js';
import { StuckPage } from './pages/stuck.js';
import { TechniciansPage } from './pages/technicians.js';
import type { Me } from './session.js';
import { adminTranslator } from './pages/admin/admin-i18n.js';
import { AuditPage } from './pages/admin/audit.js';
import { CompaniesPage, CompanyPage } from './pages/admin/companies.js';
import { PartsPage } from './pages/admin/parts.js';
import { SetPasswordPage } from './pages/admin/set-password.js';
import { TechniciansAdminPage } from './pages/admin/technicians-admin.js';
import { UsersPage } from './pages/admin/users.js';

/** Hash routes keep the server simple: every page is index.html. */
function useRoute(): string {
  const [route, setRoute] = useState(location.hash.slice(1) || '/requests');
  useEffect(() => {
    const onHash = () => setRoute(location.hash.slice(1) || '/requests');
    addEventListener('hashchange', onHash);
    return () => removeEventListener('hashchange', onHash);
  }, []);
  return route;
}

/** Pages each role works with; the API enforces access whatever the menu shows. */
const PAGES_BY_ROLE: Record<string, string[]> = {
  client_user: ['/requests', '/new'],
  client_admin: ['/requests', '/new', '/admin/company', '/admin/users'],
  support_agent: ['/requests', '/new', '/technicians', '/outbox'],
  dispatcher: ['/requests', '/planning', '/technicians'],
  technician: ['/requests'],
  finance: ['/requests'],
  admin: [
    '/requests',
    '/new',
    '/planning',
    '/technicians',
    '/outbox',
    '/stuck',
    '/admin/clients',
    '/admin/technicians',
    '/admin/parts',
    '/admin/users',
    '/admin/audit',
  ],
};

function App() {
  const [lang, setLang] = useState<Lang>(initialLang());
  const t = useMemo(() => translator(lang), [lang]);
  const ta = useMemo(() => adminTranslator(lang), [lang]);
  // The one-time link of an invitation or a reset: a page of its own, signed in or not.
  const [settingPassword, setSettingPassword] = useState(location.pathname === '/set-password');
  const [passwordSet, setPasswordSet] = useState(false);
  const route = useRoute();
  const [me, setMe] = useState<Me | null | undefined>(undefined);
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

  async function signOut() {
    await call(client.POST('/api/auth/logout')).catch(() => undefined);
    setMe(null);
  }

  const allowed = PAGES_BY_ROLE[me?.role ?? ''] ?? [];
  const links: Array<[string, string]> = (
    [
      ['/requests', t('nav.requests')],
      ['/new', t('nav.new')],
      ['/planning', t('nav.planning')],
      ['/technicians', t('nav.technicians')],
      ['/outbox', t('nav.outbox')],
      ['/stuck', t('nav.stuck')],
      ['/admin/clients', ta('nav.companies')],
      ['/admin/company', ta('nav.companies')],
      ['/admin/technicians', ta('nav.technicians')],
      ['/admin/parts', ta('nav.parts')],
      ['/admin/users', ta('nav.users')],
      ['/admin/audit', ta('nav.audit')],
    ] as Array<[string, string]>
  ).filter(([href]) => allowed.includes(href));
  const ticket = route.match(/^\/requests\/(INT-\d{4}-\d+)$/)?.[1];
  const companyId = route.match(/^\/admin\/clients\/([0-9a-f-]{36})$/)?.[1] ?? (route === '/admin/company' ? me?.clientId : undefined);

  return (
    <>
      <header class="top">
        <span class="brand">Intervention</span>
        <nav>
          {links.map(([href, label]) => (
            <a key={href} href={`#${href}`} class={route.startsWith(href) ? 'active' : ''}>
              {label}
            </a>
          ))}
          <a href="/api/openapi.json" target="_blank" rel="noreferrer">
            {t('nav.api')}
          </a>
        </nav>
        {me && (
          <span style="display:flex;gap:.6rem;align-items:center">
            <span data-testid="signed-in-as">{me.displayName ?? me.email}</span>
            <button onClick={() => void signOut()}>{t('nav.logout')}</button>
          </span>
        )}
        <label style="flex-direction:row;align-items:center;color:inherit">
          <span class="sr-only" style="display:none">
            {t('lang.label')}
          </span>
          <select aria-label={t('lang.label')} value={lang} onChange={(e) => setLang((e.target as HTMLSelectElement).value as Lang)}>
            <option value="fr">Français</option>
            <option value="en">English</option>
          </select>
        </label>
      </header>
      <main>
        {settingPassword ? (
          <SetPasswordPage
            t={ta}
            onDone={() => {
              history.replaceState(null, '', '/#/requests');
              setSettingPassword(false);
              setPasswordSet(true);
              setMe(null);
            }}
          />
        ) : me === undefined ? null : me === null ? (
          <>
            {passwordSet && (
              <div class="success" role="status" data-testid="password-set">
                {ta('password.done')}
              </div>
            )}
            <LoginPage t={t} onSignedIn={setMe} />
          </>
        ) : companyId ? (
          <CompanyPage t={ta} clientId={companyId} isAdmin={me.role === 'admin'} />
        ) : route === '/admin/clients' ? (
          <CompaniesPage t={ta} />
        ) : route === '/admin/technicians' ? (
          <TechniciansAdminPage t={ta} />
        ) : route === '/admin/parts' ? (
          <PartsPage t={ta} />
        ) : route === '/admin/users' ? (
          <UsersPage t={ta} me={me} />
        ) : route === '/admin/audit' ? (
          <AuditPage t={ta} lang={lang} />
        ) : ticket ? (
          <RequestDetailPage t={t} lang={lang} me={me} ticket={ticket} />
        ) : route === '/new' ? (
          <NewRequestPage t={t} />
        ) : route === '/planning' ? (
          <PlanningPage t={t} lang={lang} />
        ) : route === '/technicians' ? (
          <TechniciansPage t={t} />
        ) : route === '/outbox' ? (
          <OutboxPage t={t} lang={lang} />
        ) : route === '/stuck' ? (
          <StuckPage t={t} lang={lang} />
        ) : (
          <RequestsPage t={t} lang={lang} />
        )}
      </main>
    </>
  );
}

render(<App />, document.getElementById('app')!);
