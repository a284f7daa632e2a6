/** A sentence as a clause inside another one: without its full stop, so "(…)." never reads ".)." */
export function clause(sentence: string): string {
  return sentence.replace(/\.+$/, '')
}
