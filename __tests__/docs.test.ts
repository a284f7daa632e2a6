import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { parse } from 'yaml'
import { readSettings, type InputSource } from '../src/inputs/read-settings.js'
import { InputError, type Settings } from '../src/model/settings.js'
import { PHASE_KEY as SRC_PHASE_KEY } from '../src/github/phase.js'
import { PHASE_KEY, POST_ENTRY_TEXT, postEntryProblem } from '../scripts/post-entry.mjs'

const repo = resolve(import.meta.dirname, '..')
const script = join(repo, 'scripts', 'docs.mjs')
let copy: string

function docs(...args: string[]): { status: number | null; text: string } {
  const result = spawnSync(process.execPath, [script, '--root', copy, ...args], {
    encoding: 'utf8'
  })
  return { status: result.status, text: result.stdout + result.stderr }
}

beforeEach(() => {
  copy = mkdtempSync(join(tmpdir(), 'ncp-docs-'))
  for (const path of ['README.md', 'action.yml', 'examples'])
    cpSync(join(repo, path), join(copy, path), { recursive: true })
})
afterEach(() => rmSync(copy, { recursive: true, force: true }))

describe('npm run docs', () => {
  it('the committed README is what the script writes', () => {
    expect(docs('--check')).toMatchObject({ status: 0 })
  })

  it('the check fails when an action.yml description changes without npm run docs, and passes after it', () => {
    const path = join(copy, 'action.yml')
    writeFileSync(
      path,
      readFileSync(path, 'utf8').replace(
        'Wait until the image is created',
        'Block until NCP finishes'
      )
    )

    const check = docs('--check')
    expect(check.status).toBe(1)
    expect(check.text).toContain('run `npm run docs`')

    expect(docs().status).toBe(0)
    expect(readFileSync(join(copy, 'README.md'), 'utf8')).toContain('Block until NCP finishes')
    expect(docs('--check').status).toBe(0)
  })

  it('the check fails when an example changes without npm run docs', () => {
    const path = join(copy, 'examples', 'minimal.yml')
    writeFileSync(path, readFileSync(path, 'utf8').replace("'1234567'", "'7654321'"))

    expect(docs('--check').status).toBe(1)
    docs()
    expect(readFileSync(join(copy, 'README.md'), 'utf8')).toContain("server-instance-no: '7654321'")
  })

  it('refuses a workflow block in the README that is not a file under examples/', () => {
    const path = join(copy, 'README.md')
    writeFileSync(path, `${readFileSync(path, 'utf8')}\n\`\`\`yaml\non: push\n\`\`\`\n`)

    const check = docs('--check')
    expect(check.status).toBe(1)
    expect(check.text).toContain('do not start with "# examples/NAME.yml"')
  })

  it('the tables list every input and output of action.yml with its default', () => {
    const action = parse(readFileSync(join(repo, 'action.yml'), 'utf8'))
    const readme = readFileSync(join(repo, 'README.md'), 'utf8')
    for (const [name, input] of Object.entries<{ default?: string }>(action.inputs)) {
      const defaultCell = input.default ? `\`${input.default}\`` : ''
      expect(readme).toMatch(
        new RegExp(
          `^\\| \`${name}\` \\| (yes|no) \\| ${defaultCell.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\|`,
          'm'
        )
      )
    }
    for (const name of Object.keys(action.outputs))
      expect(readme).toMatch(new RegExp(`^\\| \`${name}\` \\|`, 'm'))
  })
})

describe('action.yml', () => {
  const action = parse(readFileSync(join(repo, 'action.yml'), 'utf8')) as {
    inputs: Record<string, { default?: string }>
    runs: unknown
  }
  const declared = Object.keys(action.inputs).sort()
  const NOW = new Date('2026-12-01T07:33:21Z')

  /** Runs readSettings on these inputs, recording every input it asks for. */
  function read(inputs: Record<string, string>): { names: Set<string>; settings?: Settings } {
    const names = new Set<string>()
    const source: InputSource = {
      getInput: name => {
        names.add(name)
        return inputs[name] ?? ''
      },
      env: {},
      mask: () => undefined,
      now: NOW
    }
    try {
      return { names, settings: readSettings(source) }
    } catch (error) {
      if (!(error instanceof InputError)) throw error
      return { names }
    }
  }

  // Nothing given, a plain create, a resume by number, and every input set.
  const cases: Record<string, string>[] = [
    {},
    { 'access-key': 'AK', 'secret-key': 'SK', 'server-instance-no': '1234567' },
    { 'access-key': 'AK', 'secret-key': 'SK', 'image-instance-no': '555' },
    Object.fromEntries(declared.map(name => [name, 'x']))
  ]

  it('declares every input the action reads, and the action reads every declared input', () => {
    const asked = new Set<string>()
    for (const inputs of cases) for (const name of read(inputs).names) asked.add(name)
    expect([...asked].sort()).toEqual(declared)
  })

  it.each(cases.map((inputs, index) => [index, inputs] as const))(
    'reads no undeclared input (case %i)',
    (_index, inputs) => {
      const undeclared = [...read(inputs).names].filter(name => !(name in action.inputs))
      expect(undeclared).toEqual([])
    }
  )

  it('gives each input the default the action itself applies to an empty one', () => {
    // The runner passes an input's action.yml default when the workflow leaves it out.
    const given = { 'access-key': 'AK', 'secret-key': 'SK', 'server-instance-no': '1234567' }
    const defaults = Object.fromEntries(
      Object.entries(action.inputs).map(([name, input]) => [name, input.default ?? ''])
    )
    const empty = read(given).settings
    expect(empty).toBeDefined()
    expect(read({ ...defaults, ...given }).settings).toEqual(empty)
  })

  it('runs on node24 from the bundle, with a post step on every path from its own entry', () => {
    expect(action.runs).toEqual({
      using: 'node24',
      main: 'dist/index.js',
      post: 'dist/post.js',
      'post-if': 'always()'
    })
    expect(postEntryProblem()).toBeUndefined()
    expect(POST_ENTRY_TEXT).toContain(`Symbol.for('${PHASE_KEY}')`)
    expect(PHASE_KEY).toBe(SRC_PHASE_KEY)
  })
})
