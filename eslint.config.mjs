// ESLint flat config: typescript-eslint's recommended rules (syntax only, no type information, so `npm run lint` stays
// fast) plus a few rules that catch real mistakes here. Formatting is Prettier's job (.prettierrc.json): no rule below
// is about layout. Import directions are dependency-cruiser's job, not ESLint's.
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default defineConfig(
  {
    ignores: [
      'out/',
      'dist/',
      '.cache/',
      'test-output/',
      '**/node_modules/',
      // Inputs of the tests, read as text by the engine: their code is what is under test, not ours.
      'test/fixtures/',
      'test/e2e/workspace/',
    ],
  },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    languageOptions: { ecmaVersion: 2022, sourceType: 'module', globals: { ...globals.node } },
    rules: {
      // `x == null` (null or undefined) is the one loose comparison allowed.
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      'prefer-const': ['error', { destructuring: 'all' }],
      'no-throw-literal': 'error',
      // Messages are template literals everywhere: a `${` in a plain string is almost always a forgotten backtick.
      'no-template-curly-in-string': 'error',
      // Unused names are errors; a leading underscore marks one kept on purpose (a callback's unused parameter).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true },
      ],
      // Type-only imports say so, so the bundler never loads a module (TypeScript's compiler, TF.js) for a type.
      // `import('...')` types stay allowed: tests name the types of modules they load lazily.
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports', disallowTypeAnnotations: false }],
      // Prettier writes the semicolons; this layout rule is the one of the recommended set it can contradict.
      'no-unexpected-multiline': 'off',
      // Protocol messages are namespaces holding a `method` and a `type`, as vscode-languageserver's own are.
      '@typescript-eslint/no-namespace': 'off',
    },
  },
  {
    // Rooms that fit in a head: no source file of the server or the client over 400 lines (ARCHITECTURE.md).
    files: ['server/src/**/*.ts', 'client/src/**/*.ts'],
    rules: { 'max-lines': ['error', { max: 400 }] },
  },
  {
    // The probe panel's script runs in the webview (a browser page), not in Node.
    files: ['client/src/webview/**/*.ts'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    // Mocha suites run by VS Code's extension host.
    files: ['test/e2e/**/*.ts'],
    languageOptions: { globals: { ...globals.node, ...globals.mocha } },
  },
  {
    // CommonJS entry points and the CommonJS example.
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
