import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', '.vscode-test/**', '.sandbox/**', 'test-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      'no-console': 'error',
      'no-debugger': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-floating-promises': 'off',
      eqeqeq: ['error', 'smart'],
    },
  },
  // Notifications render `[label](command:…)` as links: every one goes through src/util/notify.ts (inert text).
  {
    files: ['src/**'],
    rules: {
      'no-restricted-properties': ['error', ...['showInformationMessage', 'showWarningMessage', 'showErrorMessage'].map((property) => ({
        property, message: 'Use notify.info/warn/error from src/util/notify.ts: it makes outside text inert.',
      })), { property: 'appendText', message: 'appendText leaves bare URLs clickable: use Tooltip or textTooltip from src/tree/tooltip.ts.' }],
      // A MarkdownString renders a bare URL as a link: outside text reaches one only through src/tree/tooltip.ts.
      'no-restricted-syntax': ['error', { selector: "NewExpression[callee.property.name='MarkdownString']", message: 'Use Tooltip or textTooltip from src/tree/tooltip.ts.' }],
    },
  },
  { files: ['src/tree/tooltip.ts'], rules: { 'no-restricted-syntax': 'off' } },
  { files: ['webview/**'], languageOptions: { globals: { ...globals.browser } } },
  // Tests, benches and the sandbox are command-line programs: printing is their job.
  { files: ['test/**', 'esbuild.mjs'], rules: { 'no-console': 'off' } },
  {
    files: ['**/*.mjs', '**/*.js'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
