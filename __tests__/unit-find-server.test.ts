import { describe, expect, it, jest } from '@jest/globals'
import { RunFailure, asRunFailure } from '../src/model/failure.js'
import type { NcloudClient, Params } from '../src/ncloud/client.js'
import { findServerByName } from '../src/ncloud/servers.js'
import { ServerLookupError } from '../src/ncloud/server-errors.js'
import { NEXT } from '../src/model/next-steps.js'

const row = (no: string, name: string, status = 'RUN', hypervisor = 'KVM') => ({
  serverInstanceNo: no,
  serverName: name,
  serverInstanceStatus: { code: status },
  serverInstanceOperation: { code: 'NULL' },
  serverInstanceStatusName: status.toLowerCase(),
  hypervisorType: { code: hypervisor }
})

/** A fake NcloudClient whose readAllPages answers with these rows (NCP's filter is not exact). */
function listing(rows: unknown[]) {
  const readAllPages = jest.fn(
    async (_action: string, _params: Params, _listKey: string): Promise<unknown[]> => rows
  )
  const client = { readAllPages, region: 'KR', gatewaySetting: 'site' }
  return { client: client as unknown as NcloudClient, readAllPages }
}

async function failureOf(promise: Promise<unknown>): Promise<RunFailure> {
  const caught = await promise.then(
    () => undefined,
    (e: unknown) => e
  )
  // The API layer raises its own error; the run turns it into the failure the user sees.
  expect(caught).toBeInstanceOf(ServerLookupError)
  return asRunFailure(caught)
}

describe('findServerByName', () => {
  it('lists the servers of that name, every page, and returns the one match', async () => {
    const { client, readAllPages } = listing([row('111', 'web-1', 'NSTOP')])
    await expect(findServerByName(client, 'web-1')).resolves.toEqual({
      no: '111',
      name: 'web-1',
      status: 'NSTOP',
      operation: 'NULL',
      statusName: 'nstop',
      hypervisor: 'KVM',
      launch: expect.objectContaining({ networkInterfaceNos: [] }),
      description: ''
    })
    expect(readAllPages.mock.calls).toEqual([
      ['getServerInstanceList', { serverName: 'web-1' }, 'serverInstanceList', 'serverInstanceNo']
    ])
  })

  it('ignores a terminated server of the same name', async () => {
    const { client } = listing([row('100', 'web-1', 'TERMT'), row('111', 'web-1', 'RUN')])
    await expect(findServerByName(client, 'web-1')).resolves.toMatchObject({ no: '111' })
  })

  it.each(['web-10', 'old-web-1', 'WEB-1', 'web-1 '])(
    'ignores %j, a name that is not exactly the one wanted',
    async other => {
      const { client } = listing([row('200', other), row('111', 'web-1')])
      await expect(findServerByName(client, 'web-1')).resolves.toMatchObject({ no: '111' })
    }
  )

  it('ignores rows that are not objects', async () => {
    const { client } = listing([null, 'web-1', 7, row('111', 'web-1')])
    await expect(findServerByName(client, 'web-1')).resolves.toMatchObject({ no: '111' })
  })

  it('fails when no server has the name, saying so', async () => {
    const { client } = listing([row('200', 'web-10')])
    const failure = await failureOf(findServerByName(client, 'web-1'))
    expect(failure.message).toBe(
      'No server named "web-1" that is not terminated exists in region KR.'
    )
    expect(failure.outcome).toBe('error')
    expect(failure.nextStep).toBe(NEXT.checkServerName)
  })

  it('fails when only terminated servers have the name, naming them', async () => {
    const { client } = listing([
      row('100', 'web-1', 'TERMT'),
      row('101', 'web-1', 'TERMT'),
      row('200', 'web-10')
    ])
    const failure = await failureOf(findServerByName(client, 'web-1'))
    expect(failure.message).toBe(
      'No server named "web-1" that is not terminated exists in region KR; terminated: 100 (TERMT), 101 (TERMT).'
    )
    expect(failure.nextStep).toBe(NEXT.checkServerName)
  })

  it('fails when two servers that are not terminated have the name, listing both', async () => {
    const { client } = listing([
      row('111', 'web-1', 'RUN'),
      row('100', 'web-1', 'TERMT'),
      row('222', 'web-1', 'NSTOP')
    ])
    const failure = await failureOf(findServerByName(client, 'web-1'))
    expect(failure.message).toBe(
      '2 servers are named "web-1" in region KR: 111 (RUN), 222 (NSTOP).'
    )
    expect(failure.message).not.toContain('100')
    expect(failure.outcome).toBe('error')
    expect(failure.nextStep).toBe(NEXT.ambiguousServerName)
  })
})
