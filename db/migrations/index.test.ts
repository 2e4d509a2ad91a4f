/** The migration list: in the order Kysely runs it (by name), one number each. */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { LEGACY_MIGRATION_NAMES, migrations } from './index.js';

const names = Object.keys(migrations);
const numberOf = (name: string) => name.split('_').slice(0, 4).join('_');

describe('migration list', () => {
  it('is in name order, which is the order Kysely runs migrations in', () => {
    expect(names).toEqual([...names].sort());
  });

  it('gives each migration its own number', () => {
    expect(new Set(names.map(numberOf)).size).toBe(names.length);
  });

  it('lists every migration file of the folder, under its file name', () => {
    const folder = path.dirname(fileURLToPath(import.meta.url));
    const files = readdirSync(folder)
      .filter((f) => /^\d{4}_\d{2}_\d{2}_\d{4}_.+\.ts$/.test(f) && !f.endsWith('.test.ts'))
      .map((f) => f.replace(/\.ts$/, ''));
    expect(names).toEqual(files.sort());
  });

  it('renames legacy names to current ones only, without changing their relative order', () => {
    for (const [legacy, current] of LEGACY_MIGRATION_NAMES) {
      expect(names).toContain(current);
      expect(names).not.toContain(legacy);
    }
    const legacyOrder = names.map((n) => LEGACY_MIGRATION_NAMES.find(([, current]) => current === n)?.[0] ?? n);
    expect(legacyOrder).toEqual([...legacyOrder].sort());
  });
});
