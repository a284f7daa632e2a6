import type { Settings } from '../model/settings.js'
import { bool, duration, number } from './checks.js'
import type { Reading } from './read-settings.js'

// verify-boot and where its test server goes: verify-subnet-no, verify-access-control-groups,
// verify-timeout.

const MAX_GROUPS = 5

/** verify-boot, verify-subnet-no, verify-access-control-groups and verify-timeout. */
export function readVerify({
  source,
  input,
  problems
}: Reading): Pick<
  Settings,
  'verifyBoot' | 'verifySubnetNo' | 'verifyAccessControlGroups' | 'verifyTimeoutMs'
> {
  const verifyBoot = bool(input('verify-boot') || 'false', 'verify-boot', problems) ?? false
  if (verifyBoot && /^false$/i.test(input('wait'))) {
    problems.push(
      'Input "verify-boot" needs wait: true: a server can be launched from the image only once NCP has created it.'
    )
  }
  for (const name of ['verify-subnet-no', 'verify-access-control-groups', 'verify-timeout']) {
    if (!verifyBoot && source.getInput(name).trim() !== '') {
      problems.push(
        `Input "${name}" needs verify-boot: true: it sets up verify-boot's test server, and without verify-boot no test server is launched.`
      )
    }
  }
  const verifySubnetNo = number('verify-subnet-no', "a subnet's number", problems, input)
  const entries = source
    .getInput('verify-access-control-groups')
    .split(/[,\r\n]/)
    .map(entry => entry.trim())
    .filter(Boolean)
  const bad = entries.filter(entry => !/^\d{1,20}$/.test(entry))
  if (bad.length > 0 || entries.length > MAX_GROUPS) {
    problems.push(
      `Input "verify-access-control-groups" must be up to ${MAX_GROUPS} access control group numbers (digits only) separated by commas or new lines, got "${bad[0] ?? entries.join(',')}".`
    )
  }
  const verifyTimeoutMs =
    duration(input('verify-timeout') || '20m', 'verify-timeout', 1000, problems) ?? 0
  return {
    verifyBoot,
    verifySubnetNo,
    verifyAccessControlGroups: bad.length > 0 ? [] : [...new Set(entries)],
    verifyTimeoutMs
  }
}
