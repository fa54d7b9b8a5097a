import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const NODE_BUILTINS = ['fs', 'path', 'os', 'crypto', 'http', 'https', 'net', 'child_process', 'stream', 'url', 'util', 'worker_threads', 'zlib'];
const nodePatterns = [{ group: ['node:*', ...NODE_BUILTINS], message: 'shared/ and renderer/ are pure: no Node APIs.' }];
const electronPattern = { group: ['electron'], message: 'Only the thin shell files (electron/shell/) import electron.' };

export default tseslint.config(
  { ignores: ['dist/**', 'release/**', 'node_modules/**', 'native/**', 'data/**', '.bench/**', 'shared/calendar/cn-calendar-data.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      eqeqeq: ['error', 'smart'],
      'no-console': 'off',
    },
  },
  // Import boundaries between the rooms.
  {
    files: ['shared/**/*.ts'],
    languageOptions: { globals: {} },
    rules: {
      'no-restricted-imports': ['error', { patterns: [...nodePatterns, electronPattern, { group: ['**/electron/**', '**/renderer/**'], message: 'shared/ imports nothing from electron/ or renderer/.' }] }],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: globals.browser },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      // Our effects fetch from main and set state after the await; that is the pattern this rule
      // misreads as a synchronous cascade.
      'react-hooks/set-state-in-effect': 'off',
      'no-restricted-imports': ['error', { patterns: [...nodePatterns, electronPattern, { group: ['**/electron/**'], message: 'renderer/ talks to main only through the API contract.' }] }],
    },
  },
  {
    files: ['electron/**/*.ts'],
    ignores: ['electron/shell/**'],
    languageOptions: { globals: globals.node },
    rules: {
      'no-restricted-imports': ['error', { patterns: [electronPattern, { group: ['**/renderer/**'], message: 'main never imports the renderer.' }] }],
    },
  },
  { files: ['electron/shell/**/*.ts', 'scripts/**/*.{mjs,ts,cjs}', 'test/**/*.ts', 'build/**/*.cjs', '*.{mjs,mts,cjs}'], languageOptions: { globals: globals.node } },
  { files: ['**/*.cjs'], rules: { '@typescript-eslint/no-require-imports': 'off' } },
);
