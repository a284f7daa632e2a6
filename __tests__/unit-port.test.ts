import { describe, expect, it, jest } from '@jest/globals'
import { guardedPort, neutralise, type PortSink } from '../src/github/port.js'
import { inert } from '../src/github/summary.js'

/** U+0085 NEXT LINE: .NET's TrimStart strips it as white space; JavaScript's trimStart does not. */
const NEL = '\u0085'

/**
 * Whether the runner would take a line of a step's output as a workflow command: a line that starts
 * with `::` once leading white space is trimmed (as .NET's TrimStart does, NEL included), or one
 * that holds the old `##[` form anywhere.
 */
function isCommand(line: string): boolean {
  return line.replace(/^[\s\u0085]+/, '').startsWith('::') || line.includes('##[')
}

/** The lines the runner sees: it splits a step's output at \n, \r\n and a lone \r. */
const linesOf = (text: string): string[] => text.split(/\r\n|\r|\n/)

const COMMANDS = [
  '::set-output name=x::1',
  '::warning title=t::m',
  '::error::x',
  '::add-mask::x',
  '::stop-commands::t',
  '##[set-output name=x;]1'
]

describe('neutralise', () => {
  it.each(COMMANDS)('defuses %j', command => {
    expect(isCommand(command)).toBe(true)
    const shown = neutralise(command)
    for (const line of linesOf(shown)) expect(isCommand(line)).toBe(false)
  })

  it.each(COMMANDS.flatMap(command => ['\r', '\n', '\r\n'].map(cut => [command, cut] as const)))(
    'defuses %j after a line break %j inside a message',
    (command, cut) => {
      const shown = neutralise(`NCP said: ${cut}${command}`)
      for (const line of linesOf(shown)) expect(isCommand(line)).toBe(false)
    }
  )

  it.each(COMMANDS.flatMap(command => ['  ', '\t', ' \t '].map(pad => [command, pad] as const)))(
    'defuses %j behind leading whitespace %j',
    (command, pad) => {
      for (const text of [`${pad}${command}`, `first line\n${pad}${command}`]) {
        for (const line of linesOf(neutralise(text))) expect(isCommand(line)).toBe(false)
      }
    }
  )

  it.each(
    COMMANDS.filter(command => command.startsWith('::')).flatMap(command =>
      [NEL, `${NEL}${NEL}`, ` ${NEL}\t`, `\t${NEL} `, `${NEL}\u00a0`].map(
        pad => [command, pad] as const
      )
    )
  )('defuses %j behind leading white space with a NEL, %j', (command, pad) => {
    for (const text of [`${pad}${command}`, `first line\n${pad}${command}`]) {
      const lines = linesOf(neutralise(text))
      for (const line of lines) expect(isCommand(line)).toBe(false)
      // Shown behind "> ", what it said kept as it was.
      expect(lines).toContain(`> ${pad}${command}`)
    }
  })

  it('leaves a NEL that is not followed by a command alone', () => {
    expect(neutralise(`a${NEL}::b`)).toBe(`a${NEL}::b`)
    expect(neutralise(`${NEL}text :: more`)).toBe(`${NEL}text :: more`)
  })

  it('defuses the old form anywhere in a line', () => {
    const shown = neutralise('image name ##[set-output name=image-instance-no;]999 ok')
    expect(isCommand(shown)).toBe(false)
  })

  it('keeps what a defused command said readable', () => {
    expect(neutralise('::error::x')).toContain('::error::x')
  })

  it('leaves ordinary text as it is, several lines included', () => {
    const text =
      'Image 77 (my-image): INIT (creating), 0ms elapsed, 10m00s left.\n' +
      '  server:      1234567 (web-1), RUN, hypervisor XEN\n' +
      'a::b, 10:30:00, C# ## [x]'
    expect(neutralise(text)).toBe(text)
  })
})

function recorder() {
  const sink = {
    env: { A: 'b' },
    getInput: jest.fn((name: string) => `input ${name}`),
    info: jest.fn<(line: string) => void>(),
    warning: jest.fn<(line: string) => void>(),
    debug: jest.fn<(line: string) => void>(),
    fail: jest.fn<(message: string) => void>(),
    mask: jest.fn<(secret: string) => void>(),
    setOutput: jest.fn<(name: string, value: string) => void>(),
    saveState: jest.fn<(name: string, value: string) => void>(),
    writeSummary: jest.fn(async (_markdown: string) => undefined)
  }
  return { sink, port: guardedPort(sink satisfies PortSink) }
}

describe('guardedPort', () => {
  it.each(['info', 'warning', 'debug', 'fail'] as const)(
    'defuses workflow commands in %s lines',
    method => {
      const { sink, port } = recorder()
      port[method]('NCP said:\n::add-mask::x\r::set-output name=x::1')
      const [[written]] = sink[method].mock.calls
      for (const line of linesOf(written)) expect(isCommand(line)).toBe(false)
    }
  )

  it('passes ordinary lines through unchanged', () => {
    const { sink, port } = recorder()
    port.info('Plan: create a server image (KVM) with createServerImage:')
    port.warning('Could not read image 77 this time: HTTP 503. Still waiting.')
    expect(sink.info).toHaveBeenCalledWith(
      'Plan: create a server image (KVM) with createServerImage:'
    )
    expect(sink.warning).toHaveBeenCalledWith(
      'Could not read image 77 this time: HTTP 503. Still waiting.'
    )
  })

  it('masks a secret in the log and keeps it out of the job summary', async () => {
    const { sink, port } = recorder()
    port.mask('SK-very-secret-0001')
    expect(sink.mask).toHaveBeenCalledWith('SK-very-secret-0001')
    await port.writeSummary(
      '| Problem | the key SK-very-secret-0001 was refused; SK-very-secret-0001 |'
    )
    expect(sink.writeSummary).toHaveBeenCalledWith('| Problem | the key *** was refused; *** |')
  })

  it('redacts every masked secret from the summary', async () => {
    const { sink, port } = recorder()
    port.mask('AK-0001')
    port.mask('SK-0002')
    await port.writeSummary('AK-0001 / SK-0002')
    expect(sink.writeSummary).toHaveBeenCalledWith('*** / ***')
  })

  it('keeps a masked secret out of the summary in the form inert() shows it, URL breaks included', async () => {
    const { sink, port } = recorder()
    const secret = 'https://www.example.net/key_*1'
    port.mask(secret)
    await port.writeSummary(`raw ${secret} shown ${inert(secret)}`)
    expect(sink.writeSummary).toHaveBeenCalledWith('raw *** shown ***')
  })

  it('leaves a summary without secrets as it is, and an empty mask changes nothing', async () => {
    const { sink, port } = recorder()
    port.mask('')
    const markdown = '### ✅ Server image created\n\n| | |\n|---|---|\n| Image number | 555 |\n'
    await port.writeSummary(markdown)
    expect(sink.writeSummary).toHaveBeenCalledWith(markdown)
  })

  it('passes inputs, the environment and outputs through', () => {
    const { sink, port } = recorder()
    expect(port.getInput('region')).toBe('input region')
    expect(port.env).toBe(sink.env)
    port.setOutput('image', '{"a":"::b"}')
    expect(sink.setOutput).toHaveBeenCalledWith('image', '{"a":"::b"}')
  })
})
