// ESLint (flat config): the README's layout table as import rules, the determinism fence of the
// workflows, and the type-aware typescript-eslint rules the code meets. Run by `npm test` and
// `npm run lint`; the rules are shown to fail by scripts/lint/lint-rules.test.ts.
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import boundaries from 'eslint-plugin-boundaries';
import tseslint from 'typescript-eslint';

/** Node's built-in modules, bare (`fs`, `fs/promises`…); the `node:` forms are matched apart. */
const NODE_BUILTINS = builtinModules.filter((m) => !m.startsWith('_'));
const escape = (s) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
const BUILTIN_SOURCE = `^(node:.*|(${NODE_BUILTINS.map(escape).join('|')}))$`;

/** Test code: unit tests, integration tests, and the helpers in `test/` folders. */
const TEST_FILES = ['**/*.test.ts', '**/*.test.tsx', '**/test/**'];

/**
 * The layout table of README.md, one element per top-level folder. Within workflows/, the
 * contracts and the vocabulary are file categories: the other folders may import those files
 * and no other file of workflows/.
 */
const elements = ['workflows', 'activities', 'optimizer', 'db', 'api', 'web', 'platform', 'scripts', 'bench'].map((folder) => ({
  type: folder,
  pattern: folder,
  partialMatch: false,
}));
const files = [
  // Ids, messages, search attributes, and the two pure rules both sides apply: a new file of
  // workflows/ is workflow code (importable by nobody) until it is deliberately listed here.
  {
    category: 'contract',
    pattern: ['workflows/**/*.contract.ts', 'workflows/billing/billing.format.ts', 'workflows/intervention/intervention.priority.ts'],
  },
  // Value lists and their unions, without imports: the database enums are built from them.
  { category: 'vocabulary', pattern: 'workflows/**/*.vocabulary.ts' },
  { category: 'test', pattern: TEST_FILES },
  // Integration tests and the helpers in their test/ folders assemble the real processes
  // (database, Temporal, API, worker), like scripts/ does. optimizer/test/ holds unit tests only.
  { category: 'integration', pattern: ['**/*.int.test.ts', '{activities,api,db,platform,web,workflows}/**/test/**'] },
  // A bundle's entry point: the pages receive what they need from it as props, never by import.
  { category: 'entry', pattern: 'web/src/main.tsx' },
];

const to = (type, extra = {}) => ({ to: { element: { type }, ...extra } });
const contracts = { file: { categories: ['contract', 'vocabulary'] } };
const vocabulary = { file: { categories: 'vocabulary' } };

/** `boundaries/dependencies`, default disallow: the last policy that matches a dependency decides. */
const policies = [
  // Inside a folder, anything (what a folder does inside is its own business).
  { allow: { dependency: { relationship: { to: 'internal' } } } },
  // The contracts and the vocabulary as types (`import type`): what db/ and web/ may know of them.
  { from: { element: { type: ['db', 'web'] } }, allow: { ...to('workflows', contracts), dependency: { kind: 'type' } } },
  // The workflows: types of the activities they call.
  { from: { element: { type: 'workflows' } }, allow: { ...to('activities'), dependency: { kind: 'type' } } },
  {
    from: { element: { type: 'activities' } },
    allow: [to('db'), to('optimizer'), to('platform'), to('workflows', contracts)],
  },
  { from: { element: { type: 'db' } }, allow: [to('platform'), to('workflows', vocabulary)] },
  { from: { element: { type: 'api' } }, allow: [to('db'), to('platform'), to('workflows', contracts)] },
  // bench/bench-load.ts drives the platform's processes, which scripts/ assembles.
  { from: { element: { type: 'bench' } }, allow: [to('optimizer'), to('scripts')] },
  { from: { element: { type: 'scripts' } }, allow: to('*') },
  // Tests may also use the shared test harness and fixtures of scripts/testing/.
  { from: { file: { categories: 'test' } }, allow: to('scripts', { file: { path: 'scripts/testing/**' } }) },
  { from: { file: { categories: 'integration' } }, allow: to('*') },
  // Last, so that it wins: nothing imports an entry point, not even a type.
  {
    disallow: { to: { file: { categories: 'entry' } } },
    message: 'nothing imports a bundle entry point (web/src/main.tsx): pass what is needed as props or move it to its own module',
  },
];

/**
 * The workflows are replayed: their code is bundled apart and must be deterministic. No Node
 * built-in, no other package than the Temporal workflow API, and no value import of the folders
 * with side effects (a type import is erased).
 */
const determinismFence = {
  files: ['workflows/**/*.ts'],
  ignores: TEST_FILES,
  rules: {
    '@typescript-eslint/no-restricted-imports': [
      'error',
      {
        patterns: [
          {
            regex: BUILTIN_SOURCE,
            message: 'workflows run in a deterministic sandbox without Node built-ins: do this in an activity',
          },
          {
            regex: '(^|/)(activities|db|api)/',
            allowTypeImports: true,
            message: 'workflows import activities/, db/ and api/ as types only (`import type`): call them through proxyActivities',
          },
          {
            regex: `^(?!\\.|node:|@temporalio/(workflow|common)$)(?!(${NODE_BUILTINS.map(escape).join('|')})$)`,
            allowTypeImports: true,
            message: 'workflows import only @temporalio/workflow (and @temporalio/common): other packages go to activities',
          },
        ],
      },
    ],
  },
};

export default tseslint.config(
  {
    ignores: ['node_modules/', 'data/', '.cache/', 'coverage/', 'dist/', 'web/dist/', 'web/public/', 'bench/out/', 'bench/results/'],
  },
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { boundaries },
    settings: {
      // Resolves the `.js`-suffixed imports of TypeScript files, through both tsconfigs.
      'import/resolver': { typescript: { project: ['tsconfig.json', 'web/tsconfig.json'], noWarnOnMultipleProjects: true } },
      'boundaries/elements': elements,
      'boundaries/files': files,
    },
    rules: {
      'boundaries/dependencies': ['error', { default: 'disallow', checkInternals: true, policies }],
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      // Leading underscore: deliberately unused (an omitted field, express's 4-argument error
      // handler); a rest sibling drops the fields it names.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      // Numbers, booleans, null/undefined and arrays have a well-defined String(); objects,
      // unknown, promises and never stay errors (they print "[object Object]" or "Promise").
      '@typescript-eslint/restrict-template-expressions': [
        'error',
        { allowNumber: true, allowBoolean: true, allowNullish: true, allowArray: true, allowRegExp: true },
      ],
      // `{}` is `unknown` narrowed by a null check (`x ?? ''`, `x === undefined ? … : String(x)`):
      // as safe to String() as `unknown`, which the rule accepts by default.
      '@typescript-eslint/no-base-to-string': ['error', { ignoredTypeNames: ['Error', 'RegExp', 'URL', 'URLSearchParams', '{}'] }],
      // Off: `any` is where the code meets untyped data (migrations are `Kysely<any>` by the
      // house style, JSON bodies in tests); strict mode already forbids an implicit any, and the
      // five no-unsafe-* rules that follow an explicit one around flag 500+ reads of test
      // responses whose assertion is the check.
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      // Off: every hit is a closure typed with method syntax (rng.next, the route context, the
      // activity functions handed to MockActivityEnvironment.run); a real unbound `this` fails
      // the first test that calls it.
      '@typescript-eslint/unbound-method': 'off',
      // Off: `async` without `await` is deliberate where a Promise-returning interface is
      // implemented (Kysely's migration provider, the mailer's close, test fakes): a throw
      // inside becomes a rejection, as callers expect.
      '@typescript-eslint/require-await': 'off',
    },
  },
  determinismFence,
  {
    // This file: plain JavaScript outside both tsconfigs.
    files: ['**/*.js', '**/*.mjs'],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: { globals: { console: 'readonly', process: 'readonly' } },
  },
);
