import { useState } from 'preact/hooks';
import { ApiError, call, client } from '../api.js';
import type { Me, T } from '../session.js';
import { formText } from '../form-text.js';

/** Email and password sign-in; the API sets an HttpOnly session cookie. */
export function LoginPage({ t, onSignedIn }: { t: T; onSignedIn: (me: Me) => void }) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
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
    <section style="max-width:420px;margin:3rem auto">
      <form class="panel" onSubmit={(e) => void submit(e)}>
        <h1>{t('login:title')}</h1>
        {error && (
          <div class="error" role="alert">
            {error}
          </div>
        )}
        <div class="row" style="grid-template-columns:1fr">
          <label>
            {t('login:email')}
            <input name="email" type="email" autocomplete="username" required />
          </label>
          <label>
            {t('login:password')}
            <input name="password" type="password" autocomplete="current-password" required />
          </label>
        </div>
        <button class="primary" type="submit" disabled={busy}>
          {t('login:submit')}
        </button>
        <p class="muted" style="font-size:.85rem">
          {t('login:demo')}
        </p>
      </form>
    </section>
  );
}
