import { createHash } from 'node:crypto'

// The test server's name, from the image's name. NCP documents no server-name rule for
// createServerInstances; the console's is used (ncloud-api-next §5): 3-30 characters of
// lowercase letters, digits and '-', starting with a letter, ending with a letter or digit.

export const SERVER_NAME_RULE = /^[a-z](?:[a-z0-9-]{1,28})[a-z0-9]$/
const MAX = 30
/** '-t' and five hex digits of the image name's hash: names of long image names stay apart. */
const SUFFIX_LENGTH = 7

/** The test server's name: the image name fitted to the rule, and a suffix from its hash. */
export function testServerName(imageName: string): string {
  const suffix = `-t${createHash('sha256').update(imageName).digest('hex').slice(0, 5)}`
  let base = imageName
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^[^a-z]+/, '')
  base = base.slice(0, MAX - SUFFIX_LENGTH).replace(/-+$/, '')
  return `${base || 'vb'}${suffix}`
}
