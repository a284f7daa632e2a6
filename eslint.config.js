import js from '@eslint/js'
import tseslint from 'typescript-eslint'

// The layers of src/, bottom to top: a folder imports only from the folders below it.
const LAYERS = ['lib', 'ncloud', 'model', 'steps', 'inputs', 'github']

/** no-restricted-imports for one layer: every folder above it is out of bounds. */
function layerRule(layer) {
  const above = LAYERS.slice(LAYERS.indexOf(layer) + 1)
  return {
    files: [`src/${layer}/**/*.ts`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: '@actions/core', message: 'Only src/github/toolkit.ts knows the toolkit.' }
          ],
          patterns: above.map(folder => ({
            group: [`../${folder}/*`, `../${folder}/**`],
            message: `src/${layer}/ sits below src/${folder}/ (layers: ${LAYERS.join(' → ')}); it must not import from above.`
          }))
        }
      ]
    }
  }
}

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        URL: 'readonly',
        URLSearchParams: 'readonly',
        AbortController: 'readonly',
        AbortSignal: 'readonly',
        Buffer: 'readonly',
        fetch: 'readonly',
        TextEncoder: 'readonly'
      }
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      // On Node 20 AbortSignal.any() holds an AbortSignal.timeout() weakly and loses it.
      'no-restricted-properties': [
        'error',
        {
          object: 'AbortSignal',
          property: 'timeout',
          message: 'Use deadline() (src/lib/deadline.ts).'
        },
        { object: 'AbortSignal', property: 'any', message: 'Use deadline() (src/lib/deadline.ts).' }
      ]
    }
  },
  ...LAYERS.map(layerRule),
  {
    files: ['src/github/toolkit.ts'],
    rules: { 'no-restricted-imports': 'off' }
  }
)
