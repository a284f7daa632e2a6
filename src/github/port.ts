import type { Log } from '../lib/log.js'
import { inert } from './markdown.js'

export type { Log }

/** Everything the run does to the world outside NCP: the log, inputs, outputs, masks, the summary. */
export interface Port extends Log {
  getInput(name: string): string
  env: Record<string, string | undefined>
  mask(secret: string): void
  setOutput(name: string, value: string): void
  /** Saves a value for the post step (GITHUB_STATE), which gets it as STATE_<name>. */
  saveState(name: string, value: string): void
  /** Ends the step as failed, with this message as its error annotation. */
  fail(message: string): void
  writeSummary(markdown: string): Promise<void>
}

/** What a port is made from: the raw toolkit calls (or a test's recorder). */
export type PortSink = Port

/** The runner trims a line with .NET's TrimStart, whose white space also takes in U+0085 (NEL). */
const COMMAND_START = /^[\s\u0085]*::/

/**
 * Makes text safe to print: no line of it can start a workflow command (`::name …::`, or the old
 * `##[name …]` form), because the runner reads commands from any line of the step's output. A
 * line that would is shown behind a `> `; a carriage return starts a line of its own.
 */
export function neutralise(text: string): string {
  return text
    .split(/\r\n|\r|\n/)
    .map(line => (COMMAND_START.test(line) ? `> ${line}` : line).replace(/##\[/g, '#\u200b#['))
    .join('\n')
}

/**
 * The port the run uses: every log line neutralised, every masked secret also kept out of the job
 * summary (which GitHub renders from a file, without the log's masking).
 */
export function guardedPort(sink: PortSink): Port {
  const secrets: string[] = []
  const redact = (text: string): string =>
    secrets.reduce((out, secret) => out.split(secret).join('***'), text)
  return {
    env: sink.env,
    getInput: name => sink.getInput(name),
    info: line => sink.info(neutralise(line)),
    warning: line => sink.warning(neutralise(line)),
    debug: line => sink.debug(neutralise(line)),
    fail: message => sink.fail(neutralise(message)),
    mask: secret => {
      // The summary holds text already made inert, so a secret is looked for in that form too.
      if (secret) secrets.push(inert(secret), secret)
      sink.mask(secret)
    },
    setOutput: (name, value) => sink.setOutput(name, value),
    saveState: (name, value) => sink.saveState(name, value),
    writeSummary: markdown => sink.writeSummary(redact(markdown))
  }
}
