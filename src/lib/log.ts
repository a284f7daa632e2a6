/** Where the run's lines go. Every line is outside text to the runner, so it is neutralised first. */
export interface Log {
  info(line: string): void
  warning(line: string): void
  debug(line: string): void
}
