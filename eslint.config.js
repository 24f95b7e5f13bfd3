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

const htmlRule = {
  selector: "JSXAttribute[name.name='dangerouslySetInnerHTML']",
  message: 'Cluster and log text is rendered as text, never as HTML.',
};

const kindMessage =
  "Ask the cluster's capabilities or its backend, not the profile's kind: only core/backend/registry.ts picks by kind (shared/DESIGN.md, one cluster seam).";
const kindLiteral = '/^(embedded|mesos)$/';
/** `x.kind === 'embedded'`, `'mesos' !== p.kind`, `case 'embedded':` on a kind. */
const kindChecks = [
  { selector: `BinaryExpression[left.property.name='kind'][right.value=${kindLiteral}]`, message: kindMessage },
  { selector: `BinaryExpression[right.property.name='kind'][left.value=${kindLiteral}]`, message: kindMessage },
  { selector: `SwitchStatement[discriminant.property.name='kind'] > SwitchCase[test.value=${kindLiteral}]`, message: kindMessage },
];

/**
 * The inner layers of core/ (shared/DESIGN.md): adapters never import each other, the
 * composition root, the handlers or the registry; Mesos + Aurora (core/real) compose two
 * adapters and nothing else; the domain (core/model) imports neither the wire contract nor
 * anything outside itself. ESLint's `no-restricted-imports` keeps one setting per file, so each
 * layer's list carries core's general one too.
 */
function innerLayers() {
  const general = [['^(\\.\\./)+(renderer|electron)(/|$)', 'core/ never imports the hosts or the renderer.']];
  const root = [
    ['^\\.\\./(console|cluster-session)\\.js$', 'An adapter never imports the composition root.'],
    ['^\\.\\./handlers(/|$)', 'An adapter never imports the handler layer.'],
    ['^\\.\\./backend/(?!backend\\.js$)', 'An adapter implements the ClusterBackend interface; it never imports the registry.'],
  ];
  const adapters = ['embedded', 'mesos', 'aurora', 'cloud', 'iam'];
  const others = (self, allowed = []) =>
    adapters
      .concat('real')
      .filter((a) => a !== self && !allowed.includes(a))
      .map((a) => [`^\\.\\./${a}(/|$)`, `core/${self} is an adapter: it never imports core/${a} (adapters meet in the registry).`]);
  const rule = (regexes) => ({ 'no-restricted-imports': restrict(['electron'], uiOnly, [...general, ...regexes]) });
  return [
    ...adapters.map((a) => ({ files: [`core/${a}/*.ts`], rules: rule([...root, ...others(a)]) })),
    { files: ['core/real/*.ts'], rules: rule([...root, ...others('real', ['mesos', 'aurora'])]) },
    {
      files: ['core/model/*.ts'],
      rules: rule([
        ['^\\.\\./contract(/|$)', 'core/model is the domain: it never imports the wire contract.'],
        ['^\\.\\./', 'core/model imports nothing outside itself.'],
      ]),
    },
  ];
}

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
  ...innerLayers(),
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
      'no-restricted-syntax': ['error', htmlRule],
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
  {
    // One cluster seam: only the registry (and a profile's own validation and naming) look at a profile's kind.
    files: ['core/**/*.ts', 'electron/**/*.ts'],
    ignores: ['core/backend/registry.ts', 'core/handlers/profiles.ts', 'core/model/pool.ts', 'core/contract/**', 'electron/**'],
    rules: { 'no-restricted-syntax': ['error', ...kindChecks] },
  },
  {
    // The renderer reads capabilities; only the profile editor, which edits the kind, looks at it.
    files: ['renderer/**/*.ts', 'renderer/**/*.tsx'],
    ignores: ['renderer/features/profiles/**'],
    rules: { 'no-restricted-syntax': ['error', htmlRule, ...kindChecks] },
  },
);
