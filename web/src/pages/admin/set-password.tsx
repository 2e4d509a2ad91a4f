/**
 * The page of a one-time link (invitation or password reset): `/set-password#token=…`. The token
 * stays in the fragment (never sent to a server or in a Referer); the chosen password is sent
 * with it once, then the person signs in.
 */
import { useState } from 'preact/hooks';
import { call, client as api } from '../../api.js';
import type { AdminT } from './admin-i18n.js';
import { Field, FieldErrors, FormAlert, useSubmit } from './form-kit.js';

export function SetPasswordPage({ t, onDone }: { t: AdminT; onDone: (email: string) => void }) {
  const token = new URLSearchParams(location.hash.replace(/^#/, '')).get('token') ?? '';
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [mismatch, setMismatch] = useState(false);
  const submit = useSubmit();

  async function save(e: Event) {
    e.preventDefault();
    setMismatch(password !== confirm);
    if (password !== confirm) return;
    const done = await submit.run(() => call(api.POST('/api/auth/account-link', { body: { token, password } })));
    if (done) onDone(done.email);
  }
  return (
    <form class="panel" style="max-width:28rem;margin:2rem auto" onSubmit={(e) => void save(e)} noValidate aria-labelledby="set-password">
      <h1 id="set-password">{t('password.title')}</h1>
      <p>{t('password.note')}</p>
      <FormAlert error={submit.error} t={t} />
      <FieldErrors errors={{ ...submit.errors, ...(mismatch ? { confirm: t('password.mismatch') } : {}) }}>
        {submit.errors.token && (
          <p class="field-error" role="alert">
            {submit.errors.token}
          </p>
        )}
        <Field
          name="password"
          type="password"
          autocomplete="new-password"
          label={t('password.new')}
          value={password}
          onInput={setPassword}
        />
        <Field
          name="confirm"
          type="password"
          autocomplete="new-password"
          label={t('password.confirm')}
          value={confirm}
          onInput={setConfirm}
        />
      </FieldErrors>
      <div class="form-actions">
        <button type="submit" disabled={submit.busy || !token}>
          {t('password.save')}
        </button>
      </div>
    </form>
  );
}
