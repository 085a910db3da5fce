/**
 * Worker-thread entry of the verify pool: decodes append bodies and checks signatures
 * (decode-events.ts); results go back packed (packing.ts) with their buffer transferred.
 */
import { parentPort } from 'node:worker_threads'
import { cryptoReady, isDdcError } from '@ddc/core'
import { type DecodeOptions, decodeRequest, verifyChecks } from './decode-events.js'
import { type Packed, packChecks, packEvents, unpackChecks } from './packing.js'

export type VerifyTask =
  | { id: number; kind: 'decode'; raw: Uint8Array; maxEvents: number; opts?: DecodeOptions }
  | { id: number; kind: 'verify'; checks: Packed }

const port = parentPort
if (!port) throw new Error('verify-worker.ts runs as a worker thread')
const ready = cryptoReady()

port.on('message', async (task: VerifyTask) => {
  await ready
  try {
    if (task.kind === 'verify') {
      verifyChecks(unpackChecks(task.checks))
      port.postMessage({ id: task.id, ok: true })
      return
    }
    const { events, checks, caps } = decodeRequest(task.raw, task.maxEvents, task.opts)
    const packed = packEvents(events, task.raw)
    const sigs = packChecks(checks)
    port.postMessage({ id: task.id, ok: true, events: packed, checks: sigs, caps, raw: task.raw }, [
      packed.bytes.buffer as ArrayBuffer,
      sigs.bytes.buffer as ArrayBuffer,
      task.raw.buffer as ArrayBuffer,
    ])
  } catch (err) {
    const error = isDdcError(err) ? err.toJSON() : { code: 'ERR_INTERNAL', message: String(err) }
    port.postMessage({ id: task.id, ok: false, error })
  }
})
await ready
port.postMessage({ ready: true })
