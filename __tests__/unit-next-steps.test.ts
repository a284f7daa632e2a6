import { describe, expect, it } from '@jest/globals'
import type { NameSource } from '../src/model/image-name.js'
import { MEMBER_IMAGE } from '../src/ncloud/images.js'
import { toImageRecord } from '../src/ncloud/image-record.js'
import { NEXT } from '../src/model/next-steps.js'

const IMAGE = toImageRecord(MEMBER_IMAGE, {
  memberServerImageInstanceNo: '555',
  memberServerImageName: 'my-image',
  memberServerImageInstanceStatus: { code: 'INIT' }
})

const SOURCES: NameSource[] = ['given', 'run', 'time']
const REUSE = 'if-exists: reuse'
const RERUN_FINDS = 're-running the job also finds it'

/** The advice that picks a known image up again, for each kind of name. */
const withNumber: [string, (names: NameSource) => string][] = [
  ['resume', names => NEXT.resume(IMAGE, names)],
  ['raise the timeout', names => NEXT.raiseTimeout(IMAGE, 3_600_000, names)],
  ['look in the console', names => NEXT.lookInConsole(IMAGE, names)]
]

describe.each(withNumber)('the advice to %s', (_label, advice) => {
  it.each(SOURCES)('names the exact step, image-instance-no: 555, for a %s name', names => {
    expect(advice(names)).toContain('image-instance-no: 555')
  })

  it('offers if-exists: reuse for a given name only', () => {
    expect(advice('given')).toContain(`(or re-run with ${REUSE})`)
    expect(advice('run')).not.toContain(REUSE)
    expect(advice('time')).not.toContain(REUSE)
  })

  it('says a re-run finds the image for a run-stable name only', () => {
    expect(advice('run')).toContain(`(${RERUN_FINDS})`)
    // A {date}/{time} name tied to this run by its description is found too, not by its name alone.
    expect(advice('run')).not.toContain('generated name')
    expect(advice('given')).not.toContain(RERUN_FINDS)
    expect(advice('time')).not.toContain(RERUN_FINDS)
  })

  it('offers nothing else for a name generated from the time, which a re-run would not find', () => {
    expect(advice('time')).not.toMatch(/re-run/i)
  })
})

describe('the advice to raise the timeout', () => {
  it('says what the timeout is now', () => {
    expect(NEXT.raiseTimeout(IMAGE, 90_000, 'given')).toContain('wait-timeout (now 1m30s)')
  })
})

describe('the advice when an image may exist but its number is not known', () => {
  it('for a given name: look in the console, or re-run with if-exists: reuse', () => {
    const advice = NEXT.findUncertain('my-image', 'KR', 'given')
    expect(advice).toContain('"my-image"')
    expect(advice).toContain('region KR')
    expect(advice).toContain(REUSE)
  })

  it('for a run-stable name: re-run the job, which finds the image by its name or as this step’s', () => {
    const advice = NEXT.findUncertain('img-1-abc-123456', 'SGN', 'run')
    expect(advice).toContain('"img-1-abc-123456"')
    expect(advice).toContain('region SGN')
    expect(advice).toMatch(/^Re-run the job/)
    expect(advice).toContain('or another image this step of this run made')
    expect(advice).not.toContain(REUSE)
  })

  it('for a name from the time: find its number, since a re-run would create a second image', () => {
    const advice = NEXT.findUncertain('img-1-20261201-073321', 'KR', 'time')
    expect(advice).toContain('"img-1-20261201-073321"')
    expect(advice).toContain('image-instance-no')
    expect(advice).toContain('(a re-run may use another name and create a second image)')
    expect(advice).not.toContain(REUSE)
  })

  it.each<NameSource>(['run', 'time'])('never says if-exists: reuse for a %s name', names => {
    expect(NEXT.findUncertain('img-x', 'KR', names)).not.toContain('if-exists')
  })
})

describe('the advice when the name is taken', () => {
  it('for an image that may be this server’s: another name, delete it, reuse it, or use it by number', () => {
    const advice = NEXT.nameTaken(IMAGE, true)
    expect(advice).toContain('image-name')
    expect(advice).toContain(REUSE)
    expect(advice).toContain('image-instance-no: 555')
  })

  it('for another server’s image: another name or delete it, never reuse it', () => {
    const advice = NEXT.nameTaken(IMAGE, false)
    expect(advice).toContain('image-name')
    expect(advice).toContain('delete')
    expect(advice).not.toContain(REUSE)
    expect(advice).not.toContain('image-instance-no')
  })
})

describe('the advice after a failed share', () => {
  it('names the exact step that shares only: the image number and the login IDs', () => {
    expect(NEXT.shareAgain(IMAGE, ['qa', 'ops'])).toBe(
      "Check the login IDs and the key's permission to share, then share only: run the step with image-instance-no: 555 and share-with: qa,ops."
    )
  })
})

describe('the advice that names nothing of the run', () => {
  it('after bad inputs: fix them; nothing was created', () => {
    expect(NEXT.fixInputs).toBe('Fix the inputs named above; no image was created.')
  })

  it('after CREFL: delete the failed image, check the server, re-run', () => {
    expect(NEXT.deleteFailed).toBe(
      'Delete the failed image (NCP console: Server > My Server Image), check that the server and its disks are healthy, and re-run.'
    )
  })

  it('after a cancel before anything was created: nothing was created', () => {
    expect(NEXT.cancelledBeforeCreate).toBe(
      'Nothing was created; re-run the job when you are ready.'
    )
  })
})

describe('the advice for a server the action stopped', () => {
  it('names the server to start now, and where', () => {
    expect(NEXT.startServer('1001')).toBe(
      'Start server 1001 now (NCP console: Server > Server > Start), then check why NCP refused the start.'
    )
  })

  it('names the server to check when its start was accepted but it is not running', () => {
    expect(NEXT.checkServerState('1001')).toBe(
      'Check server 1001 in the NCP console (Server > Server) and start it if it is stopped.'
    )
  })
})
