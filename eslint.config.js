// Lint, and the layer rules of shared/DESIGN.md: what each folder may import.
import tseslint from 'typescript-eslint';

const nodeOnly = ['better-sqlite3', 'ws', '@aws-sdk/*'];
const uiOnly = ['react', 'react-dom', 'react/*', 'react-dom/*', '@tanstack/*', '@blueprintjs/*'];

const restrict = (paths, patterns, regexes = []) => [
  'error',
  {
    paths: paths.map((name) => ({ name, message: 'This layer may not import it (see shared/DESIGN.md).' })),
    patterns: [
      ...patterns.map((p) => ({ group: [p], message: 'This layer may not import it (see shared/DESIGN.md).' })),
      ...regexes.map(([regex, message]) => ({ regex, message })),
    ],
  },
];

export default tseslint.config(
  { ignores: ['node_modules/', 'out/', 'release/', 'test-results/', 'coverage/', '**/*.tmp.ts'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
      eqeqeq: ['error', 'always'],
      'no-eval': 'error',
      'no-implied-eval': 'error',
      'no-new-func': 'error',
    },
  },
  {
    files: ['core/**/*.ts'],
    rules: {
      'no-restricted-imports': restrict(['electron'], uiOnly, [
        ['^(\\.\\./)+(renderer|electron)(/|$)', 'core/ never imports the hosts or the renderer.'],
      ]),
    },
  },
  {
    // The contract is shared with the browser: schemas only, no Node.
    files: ['core/contract/**/*.ts'],
    rules: {
      'no-restricted-imports': restrict(['electron', ...nodeOnly], uiOnly, [
        ['^node:', 'core/contract runs in the browser too: no Node built-ins.'],
        ['^\\.\\./', 'core/contract imports nothing outside itself (zod only).'],
      ]),
    },
  },
  {
    files: ['renderer/**/*.ts', 'renderer/**/*.tsx'],
    rules: {
      'no-restricted-imports': restrict(
        ['electron', ...nodeOnly],
        [],
        [
          ['^node:', 'The renderer has no Node.'],
          ['^(\\.\\./)+core/(?!contract(/|$))', 'renderer/ imports only core/contract from core.'],
          ['^(\\.\\./)+electron(/|$)', 'renderer/ never imports the hosts.'],
        ],
      ),
      'no-restricted-syntax': [
        'error',
        {
          selector: "JSXAttribute[name.name='dangerouslySetInnerHTML']",
          message: 'Cluster and log text is rendered as text, never as HTML.',
        },
      ],
    },
  },
  {
    // Modules the tests load without mocking electron must not import it.
    files: ['electron/headless*.ts', 'electron/static.ts', 'electron/args.ts'],
    rules: { 'no-restricted-imports': restrict(['electron'], uiOnly) },
  },
  {
    // The sandboxed preload may require only 'electron' at runtime; types from the contract are fine.
    files: ['electron/preload.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            { regex: '^(?!electron$)', allowTypeImports: true, message: 'The sandboxed preload may import only electron at runtime.' },
          ],
        },
      ],
    },
  },
  {
    files: ['electron/**/*.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        ...[
          ['nodeIntegration', true],
          ['nodeIntegrationInWorker', true],
          ['nodeIntegrationInSubFrames', true],
          ['contextIsolation', false],
          ['sandbox', false],
          ['webSecurity', false],
          ['allowRunningInsecureContent', true],
          ['experimentalFeatures', true],
        ].map(([key, value]) => ({
          selector: `Property[key.name='${key}'][value.value=${value}]`,
          message: `${key}: ${value} is never allowed (reference/electron.md §1).`,
        })),
        { selector: "Property[key.name='enableBlinkFeatures']", message: 'enableBlinkFeatures is never allowed.' },
      ],
    },
  },
);
