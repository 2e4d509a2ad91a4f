/**
 * The lint rules fail where they should. Each fixture is a small text written for the time of
 * the test as a file of the named folder (so that both tsconfigs see it and its imports resolve
 * against the real tree), all linted in one ESLint run with the project's configuration.
 */
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Fixture name → [file relative to the root, without extension; text]. */
const fixtures = new Map<string, { file: string; text: string }>();
/** Registers a fixture and returns a function giving the rule ids reported for it. */
function fixture(file: string, text: string): () => string[] {
  const ext = path.extname(file);
  const unique = `${file.slice(0, -ext.length)}.lint-fixture-${process.pid}-${fixtures.size}${ext}`;
  fixtures.set(unique, { file: unique, text });
  return () => {
    const result = results.get(path.join(root, unique));
    expect(result, `${unique} was linted`).toBeDefined();
    expect(
      result!.filter((m) => m.fatal),
      'the fixture parses',
    ).toEqual([]);
    return result!.map((m) => m.ruleId ?? '');
  };
}

const results = new Map<string, ESLint.LintResult['messages']>();
beforeAll(async () => {
  const files = [...fixtures.values()].map(({ file, text }) => {
    const absolute = path.join(root, file);
    writeFileSync(absolute, text);
    return absolute;
  });
  try {
    const eslint = new ESLint({ cwd: root, overrideConfigFile: path.join(root, 'eslint.config.js') });
    for (const r of await eslint.lintFiles(files)) results.set(r.filePath, r.messages);
  } finally {
    for (const f of files) rmSync(f, { force: true });
  }
}, 600_000);
afterAll(() => {
  for (const { file } of fixtures.values()) rmSync(path.join(root, file), { force: true });
});

const BOUNDARIES = 'boundaries/dependencies';
const FENCE = '@typescript-eslint/no-restricted-imports';

const forbidden: Array<[string, () => string[]]> = [
  [
    'db imports api',
    fixture('db/repositories/x.ts', "import { principalOf } from '../../api/auth/access.js';\nexport const f = principalOf;\n"),
  ],
  ['optimizer imports db', fixture('optimizer/x.ts', "import { createDb } from '../db/index.js';\nexport const f = createDb;\n")],
  ['web imports db, even a type', fixture('web/src/x.ts', "import type { DB } from '../../db/index.js';\nexport type F = DB;\n")],
  [
    'bench imports activities',
    fixture('bench/x.ts', "import { createActivities } from '../activities/index.js';\nexport const f = createActivities;\n"),
  ],
  [
    'web imports the vocabulary as a value',
    fixture(
      'web/src/x.ts',
      "import { PRIORITIES } from '../../workflows/intervention/intervention.vocabulary.js';\nexport const f = PRIORITIES;\n",
    ),
  ],
  [
    'a web page imports the bundle entry, even a type',
    fixture('web/src/pages/x.tsx', "import type { T } from '../main.js';\nexport type F = T;\n"),
  ],
  [
    'api imports workflow code that is not a contract',
    fixture(
      'api/x.ts',
      "import { interventionWorkflow } from '../workflows/intervention/intervention.workflow.js';\nexport const f = interventionWorkflow;\n",
    ),
  ],
  [
    'a unit test helper imports what its folder may not',
    fixture('optimizer/test/x.ts', "import { createDb } from '../../db/index.js';\nexport const f = createDb;\n"),
  ],
  ['platform imports db', fixture('platform/x.ts', "import { createDb } from '../db/index.js';\nexport const f = createDb;\n")],
];

const allowed: Array<[string, () => string[]]> = [
  [
    'api imports db, platform and a contract',
    fixture(
      'api/x.ts',
      "import { createDb } from '../db/index.js';\nimport { loadConfig } from '../platform/config.js';\n" +
        "import { interventionWorkflowId } from '../workflows/intervention/intervention.contract.js';\nexport const f = [createDb, loadConfig, interventionWorkflowId];\n",
    ),
  ],
  [
    'db imports the vocabulary',
    fixture(
      'db/schema/x.ts',
      "import { PRIORITIES } from '../../workflows/intervention/intervention.vocabulary.js';\nexport const f = PRIORITIES;\n",
    ),
  ],
  [
    'web imports a vocabulary type',
    fixture(
      'web/src/x.ts',
      "import type { Priority } from '../../workflows/intervention/intervention.vocabulary.js';\nexport type F = Priority;\n",
    ),
  ],
  ['bench imports the optimizer', fixture('bench/x.ts', "import { solve } from '../optimizer/index.js';\nexport const f = solve;\n")],
  [
    'a test imports scripts/testing',
    fixture('optimizer/test/x.ts', "import { intakeBody } from '../../scripts/testing/fixtures.js';\nexport const f = intakeBody;\n"),
  ],
  [
    'a workflow imports activity types',
    fixture(
      'workflows/dispatch/x.ts',
      "import type { createDispatchActivities } from '../../activities/dispatch/dispatch.activities.js';\nexport type F = typeof createDispatchActivities;\n",
    ),
  ],
];

describe('folder boundaries (README layout table)', () => {
  it.each(forbidden)('reports %s', (_name, rules) => {
    expect(rules()).toContain(BOUNDARIES);
  });

  it.each(allowed)('allows %s', (_name, rules) => {
    expect(rules()).toEqual([]);
  });
});

describe('determinism fence of workflows/', () => {
  const nodePrefixed = fixture('workflows/intervention/x.ts', "import { randomUUID } from 'node:crypto';\nexport const f = randomUUID;\n");
  const bare = fixture('workflows/intervention/x.ts', "import { readFileSync } from 'fs';\nexport const f = readFileSync;\n");
  const activityValue = fixture(
    'workflows/dispatch/x.ts',
    "import { createDispatchActivities } from '../../activities/dispatch/dispatch.activities.js';\nexport const f = createDispatchActivities;\n",
  );
  const otherPackage = fixture('workflows/dispatch/x.ts', "import { DateTime } from 'luxon';\nexport const f = DateTime;\n");
  const testHelper = fixture('workflows/billing/test/x.ts', "import { readFileSync } from 'node:fs';\nexport const f = readFileSync;\n");

  it('reports a Node built-in, with or without the node: prefix', () => {
    expect(nodePrefixed()).toContain(FENCE);
    expect(bare()).toContain(FENCE);
  });

  it('reports a value import of activities/ (the layout rule too)', () => {
    expect(activityValue()).toEqual(expect.arrayContaining([FENCE, BOUNDARIES]));
  });

  it('reports another package than the Temporal workflow API', () => {
    expect(otherPackage()).toContain(FENCE);
  });

  it('leaves workflow tests and their helpers alone', () => {
    expect(testHelper()).toEqual([]);
  });
});

describe('promises', () => {
  const floating = fixture('activities/x.ts', 'async function send(): Promise<void> {}\nexport function f(): void {\n  send();\n}\n');
  const misused = fixture('scripts/x.ts', "process.on('SIGTERM', async () => {\n  await Promise.resolve();\n});\nexport {};\n");
  const voided = fixture('activities/x.ts', 'async function send(): Promise<void> {}\nexport function f(): void {\n  void send();\n}\n');

  it('reports a floating promise', () => {
    expect(floating()).toContain('@typescript-eslint/no-floating-promises');
  });

  it('reports a promise where a void callback is expected', () => {
    expect(misused()).toContain('@typescript-eslint/no-misused-promises');
  });

  it('accepts a promise explicitly left to run', () => {
    expect(voided()).toEqual([]);
  });
});
