// Lint rules for brsec. Formatting is Prettier's (.prettierrc.json); these rules keep the architecture's arrows
// pointing one way (docs/ARCHITECTURE.md) and catch mistakes the compiler does not.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Imports a room may not make: [files, pattern, why]. */
const arrows = [
  [
    'cli/**/*.ts',
    '^(\\.\\./)+src/(?!(index|internal)\\.js$)',
    "the CLI imports only the public API, src/index.ts, and src/internal.ts's terminal and file helpers",
  ],
  [
    'src/facts/**/*.ts',
    '^\\.\\./(inputs|checks|report|gate|fleet|aws|collect)/',
    'facts parse captures; they know nothing of inputs, checks or reports',
  ],
  ['src/checks/**/*.ts', '^\\.\\./(report|fleet|aws|collect|inputs)/', 'checks evaluate facts; they do not read inputs or write reports'],
  [
    'src/gate/**/*.ts',
    '^\\.\\./(checks/(?!loader)|report/(?!json)|fleet|aws|collect)',
    'the gate judges results against the catalogue; it knows no engine, operators or writers',
  ],
  ['src/report/**/*.ts', '^\\.\\./(fleet|aws|collect|inputs)/', 'writers are pure functions of the scan result and the catalogue'],
];

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'src/generated/', 'bench/out/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        Buffer: 'readonly',
        URL: 'readonly',
        performance: 'readonly',
        URLSearchParams: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setImmediate: 'readonly',
        structuredClone: 'readonly',
        TextDecoder: 'readonly',
        TextEncoder: 'readonly',
        AbortController: 'readonly',
        fetch: 'readonly',
        __dirname: 'readonly',
        require: 'readonly',
        module: 'writable',
      },
    },
    rules: {
      // Prettier keeps code within 140 columns; comments and the odd long message must keep within it too.
      'max-len': ['error', { code: 140, ignoreStrings: true, ignoreTemplateLiterals: true, ignoreRegExpLiterals: true, ignoreUrls: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
      eqeqeq: ['error', 'always'],
      // Printable text is made by stripping control characters, which takes expressions that name them.
      'no-control-regex': 'off',
    },
  },
  { files: ['**/*.cjs'], rules: { '@typescript-eslint/no-require-imports': 'off' } },
  // Tests hand the SDK stand-ins and parsed reports around loosely.
  { files: ['test/**'], rules: { '@typescript-eslint/no-explicit-any': 'off' } },
  ...arrows.map(([files, regex, message]) => ({
    files: [files],
    rules: { 'no-restricted-imports': ['error', { patterns: [{ regex, message }] }] },
  })),
);
