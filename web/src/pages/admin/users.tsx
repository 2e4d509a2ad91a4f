/**
 * Accounts: invite (a one-time link by email), role and company, deactivate, password reset link,
 * API tokens (listed, revocable), and a company's single sign-on provider. A client admin sees
 * and invites the accounts of their own company only (the API decides).
 */
import { useState } from 'preact/hooks';
import { call, client as api } from '../../api.js';
import type { paths, User } from '../../api-schema.js';
import type { Me } from '../../session.js';
import { useApi } from '../use-api.js';
import type { AdminT } from './admin-i18n.js';
import { Check, Field, FieldErrors, FormAlert, useSubmit } from './form-kit.js';

type InviteBody = paths['/api/users']['post']['requestBody']['content']['application/json'];
type SsoBody = paths['/api/clients/{clientId}/oidc-provider']['put']['requestBody']['content']['application/json'];

const ROLES = ['client_user', 'client_admin', 'support_agent', 'dispatcher', 'technician', 'finance', 'admin'] as const;
const CLIENT_ROLES = ['client_user', 'client_admin'];

function Tokens({ t, user }: { t: AdminT; user: User }) {
  const tokens = useApi(() => api.GET('/api/users/{userId}/tokens', { params: { path: { userId: user.id } } }), `tokens-${user.id}`);
  const action = useSubmit();
  async function revoke(tokenId: string) {
    const done = await action.run(() => call(api.DELETE('/api/auth/tokens/{tokenId}', { params: { path: { tokenId } } })).then(() => true));
    if (done) tokens.reload();
  }
  return (
    <div data-testid={`tokens-${user.email}`}>
      <FormAlert error={action.error} t={t} />
      {tokens.data?.items.length === 0 && <p>{t('users.noTokens')}</p>}
      <ul>
        {tokens.data?.items.map((tok) => (
          <li key={tok.id}>
            {tok.name ?? '—'} · {t('users.tokenCreated')} {tok.createdAt.slice(0, 10)} · {t('users.tokenUsed')}{' '}
            {tok.lastUsedAt?.slice(0, 10) ?? '—'}{' '}
            {tok.revokedAt ? (
              <em>{t('users.revoked')}</em>
            ) : (
              <button type="button" class="secondary" onClick={() => void revoke(tok.id)}>
                {t('users.revoke')} <span class="sr-only">{tok.name}</span>
              </button>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}

/** A company's single sign-on provider (issuer, client id and secret, email domains). */
function SsoSection({ t, companies }: { t: AdminT; companies: ReadonlyArray<{ id: string; companyName: string }> }) {
  const [clientId, setClientId] = useState('');
  const [form, setForm] = useState({ slug: '', issuer: '', oidcClientId: '', clientSecret: '', domains: '', enabled: true });
  const [status, setStatus] = useState<string | null>(null);
  const submit = useSubmit();

  async function pick(id: string) {
    setClientId(id);
    setStatus(null);
    submit.clear();
    const { data } = await api.GET('/api/clients/{clientId}/oidc-provider', { params: { path: { clientId: id } } });
    setForm(
      data
        ? {
            slug: data.slug,
            issuer: data.issuer,
            oidcClientId: data.oidcClientId,
            clientSecret: '',
            domains: data.allowedEmailDomains.join(', '),
            enabled: data.enabled,
          }
        : { slug: '', issuer: '', oidcClientId: '', clientSecret: '', domains: '', enabled: true },
    );
  }
  async function save(e: Event) {
    e.preventDefault();
    const body = {
      slug: form.slug.trim(),
      issuer: form.issuer.trim(),
      oidcClientId: form.oidcClientId.trim(),
      ...(form.clientSecret ? { clientSecret: form.clientSecret } : {}),
      allowedEmailDomains: form.domains.split(/[\s,;]+/).filter(Boolean),
      enabled: form.enabled,
    } as unknown as SsoBody;
    const done = await submit.run(() => call(api.PUT('/api/clients/{clientId}/oidc-provider', { params: { path: { clientId } }, body })));
    if (done) setStatus(`${t('saved')} — ${done.loginUrl}`);
  }
  return (
    <form class="panel" onSubmit={(e) => void save(e)} noValidate aria-labelledby="sso">
      <h2 id="sso">{t('sso.title')}</h2>
      <Field
        name="ssoClient"
        label={t('sso.company')}
        value={clientId}
        onInput={(v) => void pick(v)}
        options={[['', '—'], ...companies.map((c) => [c.id, c.companyName] as const)]}
      />
      {clientId && (
        <>
          <FormAlert error={submit.error} t={t} />
          {status && (
            <div class="success" role="status">
              {status}
            </div>
          )}
          <FieldErrors errors={submit.errors} scope="sso">
            <div class="form-grid">
              <Field name="slug" label={t('sso.slug')} value={form.slug} onInput={(v) => setForm({ ...form, slug: v })} />
              <Field name="issuer" label={t('sso.issuer')} value={form.issuer} onInput={(v) => setForm({ ...form, issuer: v })} />
              <Field
                name="oidcClientId"
                label={t('sso.clientId')}
                value={form.oidcClientId}
                onInput={(v) => setForm({ ...form, oidcClientId: v })}
              />
              <Field
                name="clientSecret"
                type="password"
                autocomplete="off"
                label={t('sso.secret')}
                value={form.clientSecret}
                onInput={(v) => setForm({ ...form, clientSecret: v })}
              />
              <Field
                name="allowedEmailDomains"
                label={t('sso.domains')}
                value={form.domains}
                onInput={(v) => setForm({ ...form, domains: v })}
              />
              <Check name="enabled" label={t('sso.enabled')} checked={form.enabled} onChange={(v) => setForm({ ...form, enabled: v })} />
            </div>
          </FieldErrors>
          <div class="form-actions">
            <button type="submit" disabled={submit.busy}>
              {t('save')}
            </button>
          </div>
        </>
      )}
    </form>
  );
}

export function UsersPage({ t, me }: { t: AdminT; me: Me }) {
  const isAdmin = me.role === 'admin';
  const users = useApi(() => api.GET('/api/users'), 'users');
  const companies = useApi(() => api.GET('/api/clients'), 'clients');
  const technicians = useApi(
    () => (isAdmin ? api.GET('/api/technicians') : Promise.resolve({ data: { items: [] }, response: new Response() })),
    'technicians',
  );
  const empty = {
    email: '',
    displayName: '',
    role: isAdmin ? 'client_user' : 'client_user',
    clientId: me.clientId ?? '',
    technicianId: '',
  };
  const [draft, setDraft] = useState(empty);
  const [notice, setNotice] = useState<string | null>(null);
  const [openTokens, setOpenTokens] = useState<string | null>(null);
  const invite = useSubmit();
  const action = useSubmit();
  const companyName = (id: string | null) => companies.data?.items.find((c) => c.id === id)?.companyName ?? '';

  async function submitInvite(e: Event) {
    e.preventDefault();
    setNotice(null);
    const body = {
      email: draft.email.trim(),
      displayName: draft.displayName.trim(),
      role: draft.role,
      ...(CLIENT_ROLES.includes(draft.role) && draft.clientId ? { clientId: draft.clientId } : {}),
      ...(draft.role === 'technician' && draft.technicianId ? { technicianId: draft.technicianId } : {}),
      sendInvitation: true,
    } as unknown as InviteBody;
    const created = await invite.run(() => call(api.POST('/api/users', { body })));
    if (created) {
      setNotice(`${t('users.invited')} ${created.email}`);
      setDraft(empty);
      users.reload();
    }
  }
  async function setActive(user: User, active: boolean) {
    const done = await action.run(() =>
      call(api.PATCH('/api/users/{userId}', { params: { path: { userId: user.id } }, body: { active } })),
    );
    if (done) users.reload();
  }
  async function reset(user: User) {
    setNotice(null);
    const sent = await action.run(() =>
      call(api.POST('/api/users/{userId}/account-link', { params: { path: { userId: user.id } }, body: { purpose: 'reset' } })),
    );
    if (sent) setNotice(`${t('users.resetSent')} ${sent.sentTo}`);
  }

  const roleOptions = (isAdmin ? ROLES : (['client_user', 'client_admin'] as const)).map((r) => [r, t(`role.${r}`)] as const);
  return (
    <section>
      <h1>{t('users.title')}</h1>
      {users.error && <div class="error">{users.error}</div>}
      {notice && (
        <div class="success" role="status" data-testid="users-notice">
          {notice}
        </div>
      )}
      <FormAlert error={action.error} t={t} />
      <div class="panel">
        <table data-testid="users">
          <thead>
            <tr>
              <th>{t('users.name')}</th>
              <th>{t('contacts.email')}</th>
              <th>{t('users.role')}</th>
              <th>{t('users.company')}</th>
              <th>{t('active')}</th>
              <th>
                <span class="sr-only">{t('actions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {users.data?.items.map((u) => (
              <>
                <tr key={u.id}>
                  <td>{u.displayName}</td>
                  <td>{u.email}</td>
                  <td>{t(`role.${u.role}`)}</td>
                  <td>{companyName(u.clientId)}</td>
                  <td>{u.active ? t('yes') : t('no')}</td>
                  <td>
                    <div class="form-actions" style="margin:0">
                      {u.id !== me.userId && (
                        <button type="button" class="secondary" onClick={() => void setActive(u, !u.active)}>
                          {u.active ? t('users.deactivate') : t('users.reactivate')} <span class="sr-only">{u.email}</span>
                        </button>
                      )}
                      {u.active && (
                        <button type="button" class="secondary" onClick={() => void reset(u)}>
                          {t('users.reset')} <span class="sr-only">{u.email}</span>
                        </button>
                      )}
                      {isAdmin && (
                        <button
                          type="button"
                          class="secondary"
                          aria-expanded={openTokens === u.id}
                          onClick={() => setOpenTokens(openTokens === u.id ? null : u.id)}
                        >
                          {t('users.tokens')} <span class="sr-only">{u.email}</span>
                        </button>
                      )}
                    </div>
                  </td>
                </tr>
                {openTokens === u.id && (
                  <tr key={`${u.id}-tokens`}>
                    <td colSpan={6}>
                      <Tokens t={t} user={u} />
                    </td>
                  </tr>
                )}
              </>
            ))}
          </tbody>
        </table>
      </div>
      <form class="panel" onSubmit={(e) => void submitInvite(e)} noValidate aria-labelledby="invite">
        <h2 id="invite">{t('users.invite')}</h2>
        <p class="muted">{t('users.inviteNote')}</p>
        <FormAlert error={invite.error} t={t} />
        <FieldErrors errors={invite.errors}>
          <div class="form-grid">
            <Field
              name="email"
              type="email"
              label={t('contacts.email')}
              value={draft.email}
              onInput={(v) => setDraft({ ...draft, email: v })}
            />
            <Field
              name="displayName"
              label={t('users.name')}
              value={draft.displayName}
              onInput={(v) => setDraft({ ...draft, displayName: v })}
            />
            <Field
              name="role"
              label={t('users.role')}
              value={draft.role}
              onInput={(v) => setDraft({ ...draft, role: v })}
              options={roleOptions}
            />
            {CLIENT_ROLES.includes(draft.role) && isAdmin && (
              <Field
                name="clientId"
                label={t('users.company')}
                value={draft.clientId}
                onInput={(v) => setDraft({ ...draft, clientId: v })}
                options={[['', '—'], ...(companies.data?.items ?? []).map((c) => [c.id, c.companyName] as const)]}
              />
            )}
            {draft.role === 'technician' && (
              <Field
                name="technicianId"
                label={t('users.technician')}
                value={draft.technicianId}
                onInput={(v) => setDraft({ ...draft, technicianId: v })}
                options={[['', '—'], ...(technicians.data?.items ?? []).map((x) => [x.id, `${x.firstName} ${x.lastName}`] as const)]}
              />
            )}
          </div>
        </FieldErrors>
        <div class="form-actions">
          <button type="submit" disabled={invite.busy}>
            {t('users.sendInvite')}
          </button>
        </div>
      </form>
      {isAdmin && <SsoSection t={t} companies={companies.data?.items ?? []} />}
    </section>
  );
}
