import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';
import { webLayers } from './web/eslint.layers.js';

/** `no-restricted-syntax` entries of every file (the web layer blocks repeat them: options replace). */
const restrictedSyntax = [
  {
    selector: "MemberExpression[object.name='process'][property.name='env']",
    message: 'Read configuration once, in server/src/cli.ts or config.ts; nothing else reads process.env.',
  },
];

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', 'test/artifacts/**', 'docs/screenshots/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        Buffer: 'readonly',
        URL: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        setImmediate: 'readonly',
        fetch: 'readonly',
        window: 'readonly',
        document: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-syntax': ['error', ...restrictedSyntax],
    },
  },
  {
    files: ['web/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: reactHooks.configs.recommended.rules,
  },
  ...webLayers(restrictedSyntax),
  {
    files: ['server/src/**/*.ts'],
    ignores: ['server/src/mail/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [{ name: 'mailparser', message: 'Only server/src/mail/ imports mailparser.' }] },
      ],
    },
  },
  {
    // `pigeonhole mcp` (stdio) loads server/src/mcp/ without the server: it reaches Pigeonhole
    // through the typed client only, never fastify, the store or the SMTP side.
    files: ['server/src/mcp/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'mailparser', message: 'Only server/src/mail/ imports mailparser.' }],
          patterns: [
            {
              group: [
                'fastify',
                'fastify-*',
                '@fastify/*',
                '**/store/*',
                '**/http/*',
                '**/smtp/*',
                '**/pigeonhole',
                '**/app',
              ],
              message:
                'server/src/mcp/ runs in `pigeonhole mcp` without the server: use the typed client (McpBackend).',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['test/**/*.{ts,mjs,js}', '**/*.config.{ts,js}'],
    rules: { 'no-restricted-syntax': 'off' },
  },
);
