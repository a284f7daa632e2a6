import { describe, expect, it, jest } from '@jest/globals'
import type { NcloudClient, Params } from '../src/ncloud/client.js'
import { NcloudError, networkError, readAnswer } from '../src/ncloud/errors.js'
import { ServerError, readServer, serverProblem, type ServerRecord } from '../src/ncloud/servers.js'

const server = (status: string, operation = 'NULL', statusName = ''): ServerRecord => ({
  no: '1234567',
  name: 'web-1',
  status,
  operation,
  statusName,
  hypervisor: 'XEN'
})

describe('serverProblem', () => {
  it('finds nothing wrong with a running or a stopped idle server', () => {
    expect(serverProblem(server('RUN', 'NULL', 'running'))).toBeUndefined()
    expect(serverProblem(server('NSTOP', 'NULL', 'stopped'))).toBeUndefined()
  })

  it('names the status of a server still booting', () => {
    const problem = serverProblem(server('INIT', 'NULL', 'booting'))
    expect(problem).toContain('Server 1234567')
    expect(problem).toContain('INIT (booting)')
    expect(problem).toContain('RUN')
    expect(problem).toContain('NSTOP')
  })

  it('names the status and the operation of a running server that is shutting down', () => {
    const problem = serverProblem(server('RUN', 'SHTDN', 'shutting down'))
    expect(problem).toContain('RUN (shutting down)')
    expect(problem).toContain('SHTDN')
  })

  it.each(['FSTOP', 'SD_FL', 'ST_FL', 'TERMT', 'CREAT', 'UNKNOWN'])(
    'refuses a %s server, naming the status',
    status => {
      const problem = serverProblem(server(status))
      expect(problem).toBeDefined()
      expect(problem).toContain(`is ${status};`)
    }
  )

  it('refuses a stopped server with an operation under way', () => {
    expect(serverProblem(server('NSTOP', 'COPY'))).toContain('COPY')
  })
})

/** A fake NcloudClient whose call answers with the result given, or throws the error given. */
function clientAnswering(answer: Record<string, unknown> | Error) {
  const call = jest.fn(async (_action: string, _params?: Params) => {
    if (answer instanceof Error) throw answer
    return answer
  })
  return { client: { call, region: 'SGN' } as unknown as NcloudClient, call }
}

describe('readServer', () => {
  it('calls getServerInstanceDetail with the number and reads the record', async () => {
    const { client, call } = clientAnswering({
      serverInstanceList: [
        {
          serverInstanceNo: '1234567',
          serverName: 'web-1',
          serverInstanceStatus: { code: 'NSTOP', codeName: 'Server normal stopped state' },
          serverInstanceOperation: { code: 'NULL', codeName: 'Server NULL OP' },
          serverInstanceStatusName: 'stopped',
          hypervisorType: { code: 'KVM', codeName: 'KVM' }
        }
      ]
    })
    await expect(readServer(client, '1234567')).resolves.toEqual({
      no: '1234567',
      name: 'web-1',
      status: 'NSTOP',
      operation: 'NULL',
      statusName: 'stopped',
      hypervisor: 'KVM'
    })
    expect(call).toHaveBeenCalledWith('getServerInstanceDetail', { serverInstanceNo: '1234567' })
  })

  it('fills what the record leaves out', async () => {
    const { client } = clientAnswering({ serverInstanceList: [{}] })
    await expect(readServer(client, '42')).resolves.toEqual({
      no: '42',
      name: '',
      status: 'UNKNOWN',
      operation: 'NULL',
      statusName: '',
      hypervisor: undefined
    })
  })

  it.each([{ serverInstanceList: [] }, { totalRows: 0 }])(
    'says the server was not found in the region when the answer has none (%j)',
    async answer => {
      const { client } = clientAnswering(answer)
      const error = await readServer(client, '42').catch((e: unknown) => e)
      expect(error).toBeInstanceOf(ServerError)
      expect((error as Error).message).toContain('Server 42 was not found in region SGN')
    }
  )

  it('turns a service error into a ServerError that keeps NCP’s code and message', async () => {
    const refusal = readAnswer(
      'getServerInstanceDetail',
      {
        status: 400,
        headers: {},
        body: JSON.stringify({
          responseError: { returnCode: '10712', returnMessage: 'Not found.' }
        })
      },
      0
    ) as NcloudError
    const { client } = clientAnswering(refusal)
    const error = await readServer(client, '42').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ServerError)
    expect((error as Error).message).toContain('Server 42 could not be read in region SGN')
    expect((error as Error).message).toContain('returnCode 10712')
    expect((error as Error).message).toContain('"Not found."')
  })

  it('passes other errors through unchanged', async () => {
    const failure = networkError(
      'getServerInstanceDetail',
      Object.assign(new Error('x'), { code: 'ECONNREFUSED' })
    )
    const { client } = clientAnswering(failure)
    await expect(readServer(client, '42')).rejects.toBe(failure)
  })
})
