/**
 * Queries live in `db/` (README: each folder has one job; repositories take an `Executor`).
 * This scan fails, naming file:line, when a Kysely query builder call or a raw `sql` template
 * appears in a non-test TypeScript file outside `db/`. Test fixtures (`*.test.ts`,
 * `scripts/testing/`, any `test/` folder) keep their direct queries on purpose.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Folders never scanned: `db/` itself, dependencies, build output and runtime data. */
const SKIPPED_DIRS = new Set(['db', 'node_modules', 'data', 'dist', 'coverage', '.cache', '.git']);

/** A query builder started, or a raw SQL template (`sql\`…\``, `sql<T>\`…\``), or a raw fragment. */
const QUERY = /\.(?:selectFrom|insertInto|replaceInto|updateTable|deleteFrom|mergeInto)\(|\bsql(?:<[^`]{0,300}?>)?\s*`|\bsql\.raw\(/g;

/** The 1-based lines of `text` where a query pattern starts. */
function queryLines(text: string): number[] {
  const lines: number[] = [];
  for (const match of text.matchAll(QUERY)) {
    const line = text.slice(0, match.index).split('\n').length;
    if (lines.at(-1) !== line) lines.push(line);
  }
  return lines;
}

function isFixture(path: string): boolean {
  const parts = path.split(sep);
  return path.endsWith('.test.ts') || parts.includes('test') || path.startsWith(join('scripts', 'testing') + sep);
}

/** Every non-test `.ts`/`.tsx` file outside `db/`, relative to the repository root. */
function sourceFiles(dir = ROOT): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (dir === ROOT ? !SKIPPED_DIRS.has(entry.name) : entry.name !== 'node_modules') files.push(...sourceFiles(path));
    } else if (/\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts')) {
      const rel = relative(ROOT, path);
      if (!isFixture(rel)) files.push(rel);
    }
  }
  return files;
}

describe('queries live in db/', () => {
  it('finds query builder calls and sql templates, with their lines', () => {
    const text = [
      "const a = await db.selectFrom('users').selectAll().execute();",
      '// nothing here',
      "await db.insertInto('t').values(v).execute(); await trx.deleteFrom('t').execute();",
      'const { rows } = await sql<{',
      '  claimed: string[];',
      '}>`select 1`.execute(db);',
      "await db.updateTable('t').set({ at: sql`now()` }).execute();",
      'await sql`select 1`.execute(db);',
      'const selectFromage = sqlite`x`; db.selectFromAll; mysql`y`;',
    ].join('\n');
    expect(queryLines(text)).toEqual([1, 3, 4, 7, 8]);
  });

  it('scans the files it should', () => {
    const files = sourceFiles();
    expect(files).toContain(join('api', 'routes', 'auth.routes.ts'));
    expect(files).toContain(join('scripts', 'seed.ts'));
    expect(files.some((f) => f.startsWith(`db${sep}`) || f.includes('node_modules') || f.endsWith('.test.ts'))).toBe(false);
    expect(files.some((f) => f.startsWith(join('scripts', 'testing')))).toBe(false);
  });

  it('has no query outside db/ (move it into db/repositories/ as a named function taking an Executor)', () => {
    const found = sourceFiles().flatMap((file) => queryLines(readFileSync(join(ROOT, file), 'utf8')).map((line) => `${file}:${line}`));
    expect(found).toEqual([]);
  });
});
