/** Configuration is validated at start; a bad value is refused with the variable's name. */
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe('loadConfig', () => {
  it('has working defaults for the embedded platform', () => {
    const config = loadConfig({});
    expect(config.PORT).toBe(3000);
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.TEMPORAL_ADDRESS).toBeUndefined();
    expect(config.TEMPORAL_NAMESPACE).toBe('default');
    expect(config.SEED_DEMO).toBe(true);
  });

  it('names every bad variable, what it expects and what it got', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', TEMPORAL_ADDRESS: 'temporal', SEED_DEMO: 'maybe' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toContain('PORT');
    expect(message).toContain('"eighty"');
    expect(message).toContain('DATABASE_URL: expected a postgres:// or postgresql:// URL');
    expect(message).toContain('TEMPORAL_ADDRESS: expected host:port');
    expect(message).toContain('SEED_DEMO');
  });

  it('bounds the waits on the workflows, in milliseconds', () => {
    expect(loadConfig({})).toMatchObject({ INTAKE_CONFIRM_TIMEOUT_MS: 8000, ACTION_TIMEOUT_MS: 10000 });
    expect(loadConfig({ INTAKE_CONFIRM_TIMEOUT_MS: '2500', ACTION_TIMEOUT_MS: '4000' })).toMatchObject({
      INTAKE_CONFIRM_TIMEOUT_MS: 2500,
      ACTION_TIMEOUT_MS: 4000,
    });
    expect(() => loadConfig({ INTAKE_CONFIRM_TIMEOUT_MS: 'soon' })).toThrow(/INTAKE_CONFIRM_TIMEOUT_MS: expected milliseconds/);
    expect(() => loadConfig({ ACTION_TIMEOUT_MS: '0' })).toThrow(/ACTION_TIMEOUT_MS: expected 100 to 120000 ms \(got "0"\)/);
  });

  it('treats empty strings as unset, as compose files pass them', () => {
    expect(loadConfig({ SMTP_URL: '', PORT: '' }).SMTP_URL).toBeUndefined();
  });

  it('accepts a full production environment', () => {
    const config = loadConfig({
      NODE_ENV: 'production',
      HOST: '0.0.0.0',
      PORT: '8080',
      DATABASE_URL: 'postgres://u:p@db:5432/app',
      TEMPORAL_ADDRESS: 'temporal:7233',
      SMTP_URL: 'smtp://mail:25',
      TEMPORAL_UI: 'false',
    });
    expect(config).toMatchObject({ PORT: 8080, TEMPORAL_UI: false, SMTP_URL: 'smtp://mail:25' });
  });

  it('takes OIDC_SECRET_KEY as 32 bytes (base64 or hex) and names it otherwise', () => {
    const key = Buffer.alloc(32, 7);
    expect(loadConfig({ OIDC_SECRET_KEY: key.toString('base64') }).OIDC_SECRET_KEY).toBe(key.toString('base64'));
    expect(loadConfig({ OIDC_SECRET_KEY: key.toString('hex') }).OIDC_SECRET_KEY).toBe(key.toString('hex'));
    expect(loadConfig({}).OIDC_SECRET_KEY).toBeUndefined();
    expect(() => loadConfig({ OIDC_SECRET_KEY: Buffer.alloc(16).toString('base64') })).toThrow(/OIDC_SECRET_KEY: expected 32 bytes/);
  });
});
