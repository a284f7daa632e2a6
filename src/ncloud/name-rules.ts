// NCP's naming rules for the two image APIs (reference §5.2), and which part of a name breaks one.

export interface NameRule {
  /** Which API's rule this is, for messages. */
  label: string
  text: string
  pattern: RegExp
  middle: RegExp
}

export const MEMBER_IMAGE_NAME_RULE: NameRule = {
  label: 'createMemberServerImageInstance (XEN/RHV)',
  text: '3-30 characters: lowercase letters, digits and "-", starting with a lowercase letter and ending with a lowercase letter or digit',
  pattern: /^[a-z][a-z0-9-]{1,28}[a-z0-9]$/,
  middle: /^[a-z0-9-]$/
}

export const SERVER_IMAGE_NAME_RULE: NameRule = {
  label: 'createServerImage (KVM)',
  text: '3-30 characters: letters, digits, "-" and "_", starting with a lowercase letter and ending with a lowercase letter or digit',
  pattern: /^[a-z][A-Za-z0-9_-]{1,28}[a-z0-9]$/,
  middle: /^[A-Za-z0-9_-]$/
}

/** Says which part of a name breaks the rule, or returns undefined when it is valid. */
export function nameProblem(name: string, rule: NameRule): string | undefined {
  if (rule.pattern.test(name)) return undefined
  const chars = [...name]
  if (chars.length < 3 || chars.length > 30) return `it has ${chars.length} characters`
  if (!/^[a-z]$/.test(chars[0])) return `it starts with "${chars[0]}"`
  if (!/^[a-z0-9]$/.test(chars[chars.length - 1]))
    return `it ends with "${chars[chars.length - 1]}"`
  const bad = [...new Set(chars.slice(1, -1).filter(c => !rule.middle.test(c)))]
  return `it contains ${bad.map(c => `"${c}"`).join(', ')}`
}
