import { useEffect, useState } from 'preact/hooks';
import { ApiError, call, client } from '../api.js';
import type { Me, T } from '../session.js';
import { formText } from '../form-text.js';

/** The domain of a typed address, once it looks complete (`claire@exemple.fr` → `exemple.fr`). */
export function emailDomain(email: string): string | null {
  const domain = email.trim().toLowerCase().split('@')[1];
  return domain && /^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(domain) && !domain.endsWith('-') ? domain : null;
}

/**
 * Where single sign-on starts for the typed address's domain, or null: asked once per domain,
 * a moment after typing stops (the API answers yes with the start URL, or no, nothing more).
 */
function useSsoStart(email: string): string | null {
  const domain = emailDomain(email);
  const [found, setFound] = useState<{ domain: string; startUrl: string | null } | null>(null);
  useEffect(() => {
    if (!domain) return;
    const timer = setTimeout(() => {
      call(client.GET('/api/auth/sso', { params: { query: { domain } } }))
        .then((r) => setFound({ domain, startUrl: r.sso && r.startUrl ? r.startUrl : null }))
        .catch(() => setFound({ domain, startUrl: null }));
    }, 300);
    return () => clearTimeout(timer);
  }, [domain]);
  return found && found.domain === domain ? found.startUrl : null;
}

/** Email and password sign-in, or single sign-on when the address's company has it; the API sets an HttpOnly session cookie. */
export function LoginPage({ t, onSignedIn }: { t: T; onSignedIn: (me: Me) => void }) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [email, setEmail] = useState('');
  const ssoStart = useSsoStart(email);
  async function submit(e: Event) {
    e.preventDefault();
    const form = new FormData(e.target as HTMLFormElement);
    setBusy(true);
    setError(null);
    try {
      const { user } = await call(
        client.POST('/api/auth/login', {
          body: { email: formText(form, 'email'), password: formText(form, 'password') },
        }),
      );
      onSignedIn(user);
    } catch (err) {
      setError(err instanceof ApiError && err.status === 401 ? t('login:wrong') : err instanceof ApiError ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  }
  return (
    <section class="login">
      <form class="panel" onSubmit={(e) => void submit(e)} aria-describedby={error ? 'login-error' : undefined}>
        <h1>{t('login:title')}</h1>
        {error && (
          <div class="error" role="alert" id="login-error">
            {error}
          </div>
        )}
        <div class="row" style="grid-template-columns:1fr">
          <label>
            {t('login:email')}
            <input
              name="email"
              type="email"
              autocomplete="username"
              required
              value={email}
              onInput={(e) => setEmail((e.target as HTMLInputElement).value)}
              aria-invalid={error ? true : undefined}
              aria-describedby={error ? 'login-error' : undefined}
            />
          </label>
          {ssoStart && (
            <div class="sso" data-testid="sso">
              <a class="button primary" href={ssoStart}>
                {t('login:sso')}
              </a>
              <p class="muted">{t('login:ssoHelp')}</p>
            </div>
          )}
          <label>
            {t('login:password')}
            <input
              name="password"
              type="password"
              autocomplete="current-password"
              required={!ssoStart}
              aria-invalid={error ? true : undefined}
              aria-describedby={error ? 'login-error' : undefined}
            />
          </label>
        </div>
        <button class={ssoStart ? 'secondary' : 'primary'} type="submit" disabled={busy}>
          {t('login:submit')}
        </button>
        <p class="muted" style="font-size:.85rem">
          {t('login:demo')}
        </p>
      </form>
    </section>
  );
}
