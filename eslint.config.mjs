// Lint rules, including the layer boundaries of ARCHITECTURE.md section 1 as errors:
// engine -> nothing of ours but shared; services -> engine, shared; shared -> nothing of ours;
// nothing but electron/main (and preload) may import 'electron'; the renderer never imports Node.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import reactHooks from 'eslint-plugin-react-hooks';

const electronImport = {
  name: 'electron',
  message: 'Only electron/main and electron/preload may import Electron.',
};
const nodeBuiltins = ['fs', 'path', 'child_process', 'os', 'crypto', 'worker_threads', 'net'];

/** Restricts imports in a folder: `names` are packages, `patterns` are path globs. */
function boundary(files, names, patterns) {
  return {
    files,
    rules: {
      'no-restricted-imports': ['error', { paths: names, patterns }],
    },
  };
}

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'dist-bench/**',
      'dist-renderer/**',
      'node_modules/**',
      'coverage/**',
      'test-results/**',
      'playwright-report/**',
      '.tmp/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        require: 'readonly',
        module: 'writable',
        __dirname: 'readonly',
        Buffer: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/no-require-imports': 'off',
    },
  },
  boundary(
    ['electron/engine/**'],
    [electronImport],
    [
      {
        group: ['**/services/**', '**/main/**', '**/preload/**', '**/cli/**', '**/renderer/**'],
        message: 'The engine must not reach up into services, main, preload, cli or renderer.',
      },
    ],
  ),
  boundary(
    ['electron/services/**'],
    [electronImport],
    [
      {
        group: ['**/main/**', '**/preload/**', '**/cli/**', '**/renderer/**'],
        message: 'Services must not import main, preload, cli or renderer.',
      },
    ],
  ),
  boundary(
    ['electron/cli/**'],
    [electronImport],
    [
      {
        group: ['**/main/**', '**/preload/**', '**/renderer/**'],
        message: 'The CLI drives engine and services only.',
      },
    ],
  ),
  boundary(
    ['shared/**'],
    [
      electronImport,
      ...nodeBuiltins.map((name) => ({ name, message: 'shared/ is pure TypeScript: no Node.' })),
    ],
    [
      {
        group: ['node:*', '**/electron/**', '**/renderer/**'],
        message: 'shared/ imports nothing of ours and no Node.',
      },
    ],
  ),
  boundary(
    ['renderer/**'],
    [
      electronImport,
      ...nodeBuiltins.map((name) => ({ name, message: 'The renderer has no Node.' })),
    ],
    [
      {
        group: ['node:*', '**/electron/**', 'better-sqlite3', 'keytar'],
        message: 'The renderer talks to main only through its api folder and shared/.',
      },
    ],
  ),
  // The renderer runs in a browser page: DOM globals, and none of Node's.
  {
    files: ['renderer/**'],
    languageOptions: {
      globals: {
        ...globals.browser,
        process: 'off',
        require: 'off',
        module: 'off',
        __dirname: 'off',
        Buffer: 'off',
      },
    },
  },
  // React's own hook rules for the renderer: the recommended set (rules-of-hooks and the
  // compiler-based checks as errors), with exhaustive-deps raised from a warning to an error so
  // a stale closure fails lint instead of scrolling by.
  {
    files: ['renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs['recommended-latest'].rules,
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
    },
  },
  // Only renderer/src/api touches the bridge (window.strata); screens go through it.
  {
    files: ['renderer/**'],
    ignores: ['renderer/src/api/**'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "MemberExpression[property.name='strata']",
          message: 'Use renderer/src/api: it is the only code that touches window.strata.',
        },
      ],
    },
  },
);
