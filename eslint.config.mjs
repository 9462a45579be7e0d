import js from '@eslint/js';
import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';
import { builtinModules } from 'node:module';
import globals from 'globals';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];

/** Every library layer, from the top; apps may use any of them. */
const libraries = [
  'type:api',
  'type:workflows',
  'type:activities',
  'type:db',
  'type:trainer',
  'type:core',
];

/** Layering: apps → api / workflows / activities → db / trainer → core. */
const depConstraints = [
  { sourceTag: 'type:app', onlyDependOnLibsWithTags: libraries },
  { sourceTag: 'type:api', onlyDependOnLibsWithTags: ['type:db', 'type:core'] },
  { sourceTag: 'type:workflows', onlyDependOnLibsWithTags: ['type:activities', 'type:core'] },
  {
    sourceTag: 'type:activities',
    onlyDependOnLibsWithTags: ['type:db', 'type:trainer', 'type:core'],
  },
  { sourceTag: 'type:db', onlyDependOnLibsWithTags: ['type:core'] },
  { sourceTag: 'type:trainer', onlyDependOnLibsWithTags: ['type:core'] },
  { sourceTag: 'type:core', onlyDependOnLibsWithTags: [] },
  // Benchmarks drive whole apps in-process.
  { sourceTag: 'type:bench', onlyDependOnLibsWithTags: ['type:app', ...libraries] },
];

const envOnlyInEnvTs = {
  selector: "MemberExpression[object.name='process'][property.name='env']",
  message:
    'Read configuration through the app/tool env.ts (validated once with zod), not process.env.',
};

/** libs/core is pure: no Node built-ins, no I/O libraries, nothing internal. */
const corePurity = {
  paths: nodeBuiltins.map((name) => ({
    name,
    message: 'libs/core is pure: no Node built-ins.',
  })),
  patterns: [
    {
      group: ['@prisma/*', '@temporalio/*', '@tensorflow/*', 'better-sqlite3', 'pg'],
      message: 'libs/core is pure: no Prisma, Temporal, tfjs or drivers.',
    },
    { group: ['@retune/*'], message: 'libs/core imports nothing internal.' },
  ],
};

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/.next/**',
      '**/.next-*/**',
      '**/dist/**',
      '**/.nx/**',
      '**/generated/**',
      '**/next-env.d.ts',
      '.data/**',
      '.tools/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  { plugins: { '@nx': nx } },
  {
    files: ['**/*.ts', '**/*.tsx', '**/*.mjs', '**/*.js'],
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          // The shared vitest options at the root (vitest.shared.ts), for config files only.
          allow: ['../../vitest.shared', '../vitest.shared'],
          depConstraints,
        },
      ],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      'no-restricted-syntax': ['error', envOnlyInEnvTs],
    },
  },
  {
    // env.ts files own process.env; tests and tools' test helpers may read it to find services.
    files: [
      'bench/**',
      'tests/**',
      '**/env.ts',
      '**/*.spec.ts',
      '**/test-support/**',
      'tools/**',
      '**/*.config.ts',
      '**/*.config.mjs',
      'trainers/**',
    ],
    rules: { 'no-restricted-syntax': 'off' },
  },
  {
    // libs/core is pure: no Node, no Prisma, no Temporal, no TensorFlow.
    files: ['libs/core/src/**/*.ts'],
    ignores: ['libs/core/src/**/*.spec.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', corePurity] },
  },
  {
    // Inside core, search/ (the algorithms) builds on spec/ (what a sweep asks for), never back.
    files: ['libs/core/src/spec/**/*.ts'],
    ignores: ['libs/core/src/**/*.spec.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          ...corePurity,
          patterns: [
            ...corePurity.patterns,
            { group: ['../search', '../search/*'], message: 'spec/ may not import search/.' },
          ],
        },
      ],
    },
  },
  {
    // Workflow code runs in Temporal's deterministic sandbox: no Node APIs, no I/O libraries,
    // and activities are referenced by type only.
    files: ['libs/workflows/src/**/*.ts'],
    ignores: ['libs/workflows/src/**/*.spec.ts', 'libs/workflows/src/test-support/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            ...nodeBuiltins.map((name) => ({
              name,
              message: 'Workflows are deterministic: no Node APIs (do I/O in an activity).',
            })),
            {
              name: '@retune/activities',
              allowTypeImports: true,
              message: 'Workflows import activity types only: `import type`.',
            },
          ],
          patterns: [
            {
              group: [
                '@prisma/*',
                '@retune/db',
                '@temporalio/worker',
                '@temporalio/client',
                '@temporalio/activity',
                'better-sqlite3',
                'pg',
              ],
              message: 'Not allowed in workflow code.',
            },
          ],
        },
      ],
    },
  },
  prettier,
);
