/**
 * One process of the raw-library ceiling (run by scenarios/ceiling.ts, one per core): what a node
 * must do per event, with @ddc/core's functions and nothing else — canonical decode, CID, body hash,
 * Merkle path and signature (each distinct batch signature once), and one fdatasync per group of
 * appended bytes; or, for reads, the same checks plus decryption. Each task repeats passes for
 * --min-ms; all tasks run in this one process (starting a process under tsx costs seconds).
 *   node --import tsx bench/ceiling-run.ts --task <events file>:ingest|read … --group N --min-ms N --json <file>
 */
import { closeSync, fdatasyncSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs'
import {
  cidOf,
  cryptoReady,
  decodeCanonical,
  parseEnvelope,
  parseSeal,
  SealVerifier,
  signerOf,
  verifyBlock,
  verifySeal,
} from '@ddc/core'
import { createWorkload, type Workload } from './workload.js'

const arg = (name: string): string => {
  const k = process.argv.indexOf(name)
  if (k < 0 || !process.argv[k + 1]) throw new Error(`${name} is required`)
  return process.argv[k + 1]!
}

interface EventsFile {
  scopes: number
  eventBytes: number
  bucket: string
  events: { env: Uint8Array; seal: unknown; body: Uint8Array }[]
}

await cryptoReady()
const group = Number(arg('--group'))
const minMs = Number(arg('--min-ms'))
const log = `${arg('--json')}.log`
const fd = openSync(log, 'w')

async function pass(file: EventsFile, workload: Workload, mode: string): Promise<void> {
  const verifier = new SealVerifier()
  for (let g = 0; g < file.events.length; g += group) {
    const parts: Uint8Array[] = []
    for (const e of file.events.slice(g, g + group)) {
      const envelope = parseEnvelope(decodeCanonical(e.env))
      const cid = cidOf(e.env)
      if (envelope.body) verifyBlock(envelope.body, e.body)
      verifySeal('event', cid, parseSeal(e.seal), signerOf(envelope), verifier)
      if (mode === 'read') await workload.module.decrypt(envelope, e.body, workload.keys, { strict: true })
      else parts.push(e.env, e.body)
    }
    if (mode === 'ingest') {
      writeSync(fd, Buffer.concat(parts))
      fdatasyncSync(fd)
    }
  }
}

const results: { events: number; seconds: number }[] = []
for (let k = 0; k < process.argv.length; k++) {
  if (process.argv[k] !== '--task') continue
  const [path, mode] = process.argv[k + 1]!.split(':') as [string, string]
  const file = decodeCanonical<EventsFile>(readFileSync(path), 1 << 30)
  const workload = createWorkload({
    eventBytes: file.eventBytes,
    scopes: file.scopes,
    scheme: 'sr25519',
    bucket: file.bucket,
  })
  let events = 0
  const t0 = performance.now()
  do {
    await pass(file, workload, mode)
    events += file.events.length
  } while (performance.now() - t0 < minMs)
  results.push({ events, seconds: (performance.now() - t0) / 1000 })
}
closeSync(fd)
rmSync(log, { force: true })
writeFileSync(arg('--json'), JSON.stringify(results))
