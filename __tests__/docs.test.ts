import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { parse } from 'yaml'

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
  it('declares every input the source reads, and the source reads every declared input', () => {
    const action = parse(readFileSync(join(repo, 'action.yml'), 'utf8'))
    const source = readFileSync(join(repo, 'src', 'inputs.ts'), 'utf8')
    const read = new Set(
      [...source.matchAll(/(?:input|credential|getInput)\('([a-z-]+)'/g)].map(match => match[1])
    )
    expect([...read].sort()).toEqual(Object.keys(action.inputs).sort())
    expect(action.runs).toEqual({ using: 'node24', main: 'dist/index.js' })
  })
})
