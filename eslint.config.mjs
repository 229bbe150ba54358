// eslint.config.mjs: the lint rules. typescript-eslint's recommended set (without type
// information, so it runs in seconds), plus a few rules this code base keeps by habit.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'dist/',
      '.astro/',
      'test-results/',
      'bench/results/',
      'bench/out/',
      'exercises/*/start/',
      'yours/*/node_modules/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        console: 'readonly',
        process: 'readonly',
        URL: 'readonly',
        TextEncoder: 'readonly',
        TextDecoder: 'readonly',
      },
    },
    rules: {
      // Unused names are a bug, unless they start with an underscore (a deliberate placeholder).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      'no-throw-literal': 'error',
      'prefer-const': 'error',
      // d3's each(function () {...}) hands the element as `this`; naming it is the idiom.
      '@typescript-eslint/no-this-alias': ['error', { allowedNames: ['el', 'me', 'self'] }],
    },
  },
);
