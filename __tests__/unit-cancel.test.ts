import { describe, expect, it } from '@jest/globals'
import { CancelledError, cancelOnSignals } from '../src/lib/cancel.js'

describe('cancelOnSignals', () => {
  it('aborts the signal with a CancelledError naming the signal', () => {
    const cancellation = cancelOnSignals(['SIGUSR2'])
    try {
      expect(cancellation.signal.aborted).toBe(false)
      process.emit('SIGUSR2', 'SIGUSR2')
      expect(cancellation.signal.aborted).toBe(true)
      const reason = cancellation.signal.reason as CancelledError
      expect(reason).toBeInstanceOf(CancelledError)
      expect(reason.signalName).toBe('SIGUSR2')
      expect(reason.message).toBe('Cancelled (SIGUSR2).')
    } finally {
      cancellation.dispose()
    }
  })

  it('keeps the first reason when a second signal follows', () => {
    const cancellation = cancelOnSignals(['SIGUSR2', 'SIGHUP'])
    try {
      process.emit('SIGUSR2', 'SIGUSR2')
      process.emit('SIGHUP', 'SIGHUP')
      expect((cancellation.signal.reason as CancelledError).signalName).toBe('SIGUSR2')
    } finally {
      cancellation.dispose()
    }
  })

  it('listens to SIGINT and SIGTERM by default and stops listening on dispose', () => {
    const before = { int: process.listenerCount('SIGINT'), term: process.listenerCount('SIGTERM') }
    const cancellation = cancelOnSignals()
    expect(process.listenerCount('SIGINT')).toBe(before.int + 1)
    expect(process.listenerCount('SIGTERM')).toBe(before.term + 1)
    cancellation.dispose()
    expect(process.listenerCount('SIGINT')).toBe(before.int)
    expect(process.listenerCount('SIGTERM')).toBe(before.term)
  })

  it('does not abort after dispose', () => {
    const cancellation = cancelOnSignals(['SIGUSR2'])
    cancellation.dispose()
    process.emit('SIGUSR2', 'SIGUSR2')
    expect(cancellation.signal.aborted).toBe(false)
  })
})
