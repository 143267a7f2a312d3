import js from '@eslint/js';
import globals from 'globals';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist', 'dist-mock', 'node_modules', 'src/bindings'] },
  {
    files: ['**/*.{ts,tsx,js,mjs}'],
    extends: [js.configs.recommended, ...tseslint.configs.recommended, reactHooks.configs.flat.recommended],
    languageOptions: {
      ecmaVersion: 2022,
      globals: { ...globals.browser, ...globals.node },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Only lib/ipc.ts may talk to the shell; everything else goes through its typed wrappers.
      'no-restricted-imports': [
        'error',
        { paths: [{ name: '@tauri-apps/api/core', message: 'Call the shell through src/lib/ipc.ts.' }] },
      ],
    },
  },
  {
    // Features do not import each other; what they share lives in src/lib or src/components.
    files: ['src/features/*/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: '@tauri-apps/api/core', message: 'Call the shell through src/lib/ipc.ts.' }],
          patterns: [
            {
              regex: '^\\.\\./(?!\\.)',
              message: 'No imports across features: move shared code to src/lib or src/components.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/lib/ipc.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
);
