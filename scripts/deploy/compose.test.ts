/**
 * docker-compose.yml cannot run here (no Docker engine), so this checks that it is well-formed
 * and consistent with the application: every app service's environment passes the app's own
 * configuration validation, addresses point at services that exist, images are pinned, mounted
 * files and commands exist, and the search attributes match what the workflows use.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { INTERVENTION_TASK_QUEUE } from '../../workflows/intervention/intervention.contract.js';
import { loadConfig } from '../../platform/config.js';
import { SEARCH_ATTRIBUTES } from '../temporal-cli.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const composeText = readFileSync(path.join(root, 'docker-compose.yml'), 'utf8');

/** Compose's variable interpolation, for the forms the file uses. */
function interpolate(text: string, env: Record<string, string>): string {
  return text.replace(/\$\{([A-Z_]+)(?::([-?])([^}]*))?\}/g, (_m, name: string, op?: string, arg?: string) => {
    const value = env[name];
    if (value !== undefined && value !== '') return value;
    if (op === '?') throw new Error(`required variable ${name}: ${arg}`);
    return op === '-' ? (arg ?? '') : '';
  });
}

interface Service {
  image?: string;
  build?: unknown;
  command?: string[];
  entrypoint?: string[];
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
  volumes?: string[];
  ports?: string[];
  healthcheck?: { test: string[] };
}

function load(env: Record<string, string>) {
  return parse(interpolate(composeText, env), { merge: true }) as { services: Record<string, Service> };
}

describe('docker-compose.yml', () => {
  const compose = load({ POSTGRES_PASSWORD: 'a-strong-secret' });
  const services = compose.services;
  const appServices = Object.entries(services).filter(([, s]) => s.build !== undefined);

  it('refuses to start without a database password', () => {
    expect(() => load({})).toThrow(/POSTGRES_PASSWORD/);
  });

  it('has the production services', () => {
    expect(Object.keys(services).sort()).toEqual(
      ['api', 'postgresql', 'temporal', 'temporal-admin-tools', 'temporal-create-namespace', 'temporal-ui', 'worker'].sort(),
    );
    expect(appServices.map(([name]) => name).sort()).toEqual(['api', 'worker']);
  });

  it('pins every image to a version', () => {
    for (const [name, s] of Object.entries(services)) {
      if (!s.image) continue;
      expect(s.image, name).toMatch(/:[0-9][\w.-]*$/);
    }
    const temporalVersions = new Set(
      ['temporal', 'temporal-admin-tools', 'temporal-create-namespace'].map((n) => services[n]!.image!.split(':')[1]),
    );
    expect(temporalVersions.size).toBe(1);
  });

  it('gives the worker and the API an environment the app accepts, pointing at the stack', () => {
    for (const [name, s] of appServices) {
      const config = loadConfig(s.environment ?? {});
      const db = new URL(config.DATABASE_URL!);
      expect(services[db.hostname]?.image, `${name} DATABASE_URL host`).toMatch(/^postgres:/);
      expect(db.pathname).toBe(`/${services.postgresql!.environment!.POSTGRES_DB}`);
      expect(db.username).toBe(services.postgresql!.environment!.POSTGRES_USER);
      expect(decodeURIComponent(db.password)).toBe(services.postgresql!.environment!.POSTGRES_PASSWORD);
      const [host, port] = config.TEMPORAL_ADDRESS!.split(':');
      expect(services[host!]?.image, `${name} TEMPORAL_ADDRESS host`).toMatch(/^temporalio\/server:/);
      expect(port).toBe('7233');
      expect(config.TEMPORAL_TASK_QUEUE).toBe(INTERVENTION_TASK_QUEUE);
      expect(config.TEMPORAL_NAMESPACE).toBe(services['temporal-create-namespace']!.environment!.NAMESPACE);
      expect(s.depends_on?.['temporal-create-namespace']?.condition).toBe('service_completed_successfully');
      expect(s.depends_on?.postgresql?.condition).toBe('service_healthy');
    }
  });

  it('runs processes and mounts files that exist in the repository', () => {
    for (const [name, s] of appServices) {
      const script = s.command?.find((arg) => arg.startsWith('scripts/'));
      expect(script, name).toBeDefined();
      expect(existsSync(path.join(root, script!)), script).toBe(true);
    }
    for (const s of Object.values(services)) {
      for (const volume of s.volumes ?? []) {
        const source = volume.split(':')[0]!;
        if (source.startsWith('./')) expect(existsSync(path.join(root, source)), source).toBe(true);
      }
    }
  });

  it('wires dependencies to services that exist, Temporal after its schema', () => {
    for (const [name, s] of Object.entries(services)) {
      for (const dependency of Object.keys(s.depends_on ?? {})) expect(services[dependency], `${name} → ${dependency}`).toBeDefined();
    }
    expect(services.temporal!.depends_on?.['temporal-admin-tools']?.condition).toBe('service_completed_successfully');
    expect(services.temporal!.environment!.DB).toBe('postgres12');
    expect(services.temporal!.environment!.POSTGRES_SEEDS).toBe('postgresql');
  });

  it('exposes the API on the port it listens on, with a health check on /healthz', () => {
    const api = services.api!;
    const config = loadConfig(api.environment ?? {});
    expect(config.HOST).toBe('0.0.0.0');
    expect(api.ports).toContain(`${config.PORT}:${config.PORT}`);
    expect(api.healthcheck?.test.join(' ')).toContain(`:${config.PORT}/healthz`);
  });

  it('registers the search attributes the workflows are listed by', () => {
    const script = readFileSync(path.join(root, 'scripts/deploy/create-namespace.sh'), 'utf8');
    const listed =
      script
        .match(/for attribute in ([^;]+);/)?.[1]
        ?.trim()
        .split(/\s+/) ?? [];
    expect(listed.sort()).toEqual(Object.keys(SEARCH_ATTRIBUTES).sort());
  });

  it('builds from a glibc Node image that copies every folder the processes import', () => {
    const dockerfile = readFileSync(path.join(root, 'Dockerfile'), 'utf8');
    expect(dockerfile).toMatch(/^FROM node:20-bookworm/m);
    expect(dockerfile).not.toMatch(/alpine/);
    for (const folder of ['workflows', 'activities', 'optimizer', 'api', 'db', 'platform', 'web', 'scripts']) {
      expect(dockerfile).toContain(`COPY ${folder} ./${folder}`);
    }
  });
});
