import { describe, expect, it, jest } from '@jest/globals'
import type { NcloudClient, Params } from '../src/ncloud/client.js'
import { RunFailure, asRunFailure } from '../src/model/failure.js'
import { answerError, networkError } from '../src/ncloud/errors.js'
import { parseAnswer } from '../src/ncloud/response.js'
import {
  bootProgress,
  readServer,
  serverProblem,
  type ServerRecord
} from '../src/ncloud/servers.js'
import { ServerLookupError } from '../src/ncloud/server-errors.js'
import { TransportError } from '../src/ncloud/transport.js'
import { NEXT } from '../src/model/next-steps.js'

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
    expect(problem).toBe(
      'Server 1234567 is INIT (booting); an image can be made only of a server that is running (RUN) or stopped (NSTOP).'
    )
  })

  it('names the status and the operation of a stopped server that is booting', () => {
    expect(serverProblem(server('NSTOP', 'START', 'booting'))).toBe(
      'Server 1234567 is NSTOP (booting) with the operation START in progress.'
    )
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

/** A fake NcloudClient whose read answers with the result given, or throws the error given. */
function clientAnswering(answer: Record<string, unknown> | Error) {
  const read = jest.fn(async (_action: string, _params?: Params, _deadline?: number) => {
    if (answer instanceof Error) throw answer
    return answer
  })
  return {
    client: { read, region: 'SGN', gatewaySetting: 'site' } as unknown as NcloudClient,
    read
  }
}

describe('readServer', () => {
  it('calls getServerInstanceDetail with the number and reads the record', async () => {
    const { client, read } = clientAnswering({
      serverInstanceList: [
        {
          serverInstanceNo: '1234567',
          serverName: 'web-1',
          serverInstanceStatus: { code: 'NSTOP', codeName: 'Server normal stopped state' },
          serverInstanceOperation: { code: 'NULL', codeName: 'Server NULL OP' },
          serverInstanceStatusName: 'stopped',
          hypervisorType: { code: 'KVM', codeName: 'KVM' },
          vpcNo: '7001',
          subnetNo: 8001,
          networkInterfaceNoList: ['6001', 6002],
          loginKeyName: 'deploy-key',
          serverSpecCode: 's2-g3',
          serverDescription: 'web server'
        }
      ]
    })
    await expect(readServer(client, '1234567')).resolves.toEqual({
      no: '1234567',
      name: 'web-1',
      status: 'NSTOP',
      operation: 'NULL',
      statusName: 'stopped',
      hypervisor: 'KVM',
      launch: {
        vpcNo: '7001',
        subnetNo: '8001',
        networkInterfaceNos: ['6001', '6002'],
        loginKeyName: 'deploy-key',
        serverSpecCode: 's2-g3',
        serverProductCode: ''
      },
      description: 'web server'
    })
    expect(read).toHaveBeenCalledTimes(1)
    expect(read.mock.calls[0].slice(0, 2)).toEqual([
      'getServerInstanceDetail',
      { serverInstanceNo: '1234567' }
    ])
  })

  it('fills what the record leaves out', async () => {
    const { client } = clientAnswering({ serverInstanceList: [{}] })
    await expect(readServer(client, '42')).resolves.toEqual({
      no: '42',
      name: '',
      status: 'UNKNOWN',
      operation: 'NULL',
      statusName: '',
      hypervisor: undefined,
      launch: {
        vpcNo: '',
        subnetNo: '',
        networkInterfaceNos: [],
        loginKeyName: '',
        serverSpecCode: '',
        serverProductCode: ''
      },
      description: ''
    })
  })

  it('clips what a hostile answer makes too long', async () => {
    const { client } = clientAnswering({
      serverInstanceList: [
        {
          serverName: 'n'.repeat(5_000),
          serverInstanceStatus: { code: 'R'.repeat(5_000) },
          serverInstanceStatusName: 's'.repeat(5_000)
        }
      ]
    })
    const server = await readServer(client, '42')
    expect(server.name).toHaveLength(300)
    expect(server.statusName).toHaveLength(300)
    expect(server.status).toHaveLength(100)
  })

  it.each([{ serverInstanceList: [] }, { totalRows: 0 }])(
    'says the server was not found in the region when the answer has none (%j)',
    async answer => {
      const { client } = clientAnswering(answer)
      const thrown = await readServer(client, '42').catch((e: unknown) => e)
      // The API layer raises its own error; the run turns it into the failure the user sees.
      expect(thrown).toBeInstanceOf(ServerLookupError)
      const error = asRunFailure(thrown)
      expect((error as RunFailure).message).toContain('Server 42 was not found in region SGN')
      expect((error as RunFailure).outcome).toBe('error')
      expect((error as RunFailure).nextStep).toBe(NEXT.checkServer)
      expect((error as RunFailure).nextStep).toContain('server-instance-no and region')
    }
  )

  it('turns a service error into a failure that keeps NCP’s code and message', async () => {
    const { facts, answer } = parseAnswer(
      'getServerInstanceDetail',
      {
        status: 400,
        headers: {},
        body: JSON.stringify({
          responseError: { returnCode: '10712', returnMessage: 'Not found.' }
        })
      },
      0
    )
    if (answer.shape === 'success') throw new Error('expected a refusal')
    const refusal = answerError('getServerInstanceDetail', facts, answer, 'site')
    const { client } = clientAnswering(refusal)
    const thrown = await readServer(client, '42').catch((e: unknown) => e)
    expect(thrown).toBeInstanceOf(ServerLookupError)
    const error = asRunFailure(thrown)
    expect((error as RunFailure).outcome).toBe('error')
    expect((error as RunFailure).nextStep).toBe(NEXT.checkServer)
    expect((error as Error).message).toContain('Server 42 could not be read in region SGN')
    expect((error as Error).message).toContain('returnCode 10712')
    expect((error as Error).message).toContain('"Not found."')
  })

  it('passes other errors through unchanged', async () => {
    const failure = networkError(
      'getServerInstanceDetail',
      new TransportError('x', 'ECONNREFUSED', false),
      'site'
    )
    const { client } = clientAnswering(failure)
    await expect(readServer(client, '42')).rejects.toBe(failure)
  })
})

describe('bootProgress', () => {
  it('RUN with no operation is running; INIT, CREAT or an operation under way is still booting', () => {
    expect(bootProgress(server('RUN'))).toBe('running')
    for (const booting of [
      server('INIT'),
      server('CREAT'),
      server('INIT', 'SETUP'),
      server('NSTOP', 'START')
    ]) {
      expect(bootProgress(booting)).toBe('booting')
    }
  })

  it.each(['NSTOP', 'FSTOP', 'TERMT', 'SD_FL', 'RS_FL', 'ST_FL', 'SOMETHING_NEW'])(
    '%s with no operation will not run by itself',
    status => expect(bootProgress(server(status))).toBe('not-running')
  )

  it('a server being terminated will not run', () => {
    expect(bootProgress(server('INIT', 'TERMT'))).toBe('not-running')
  })
})
