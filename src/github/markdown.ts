/**
 * Text that GitHub renders as itself: no HTML, no Markdown (links, images, emphasis, code), no
 * table breaks. Server messages end up here, so none of them may become markup.
 */
export function inert(text: string): string {
  return (
    text
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/([\\`*_[\]|~])/g, '\\$1')
      // A word joiner keeps GitHub from turning a bare URL into a link.
      .replace(/:\/\//g, ':/\u2060/')
      .replace(/\bwww\./gi, match => `${match.slice(0, 3)}\u2060.`)
      .replace(/\r\n|\r|\n/g, '<br>')
  )
}
