/**
 * Core micro-benchmark: what DDC's envelope path costs beside the raw library calls it is made of.
 * Run: `npm run bench -w @ddc/core` (or `npx tsx packages/core/bench/bench.ts`). Prints ops/s.
 */

import { createHash } from 'node:crypto'
import { cpus } from 'node:os'
import * as dagCbor from '@ipld/dag-cbor'
import { u8aWrapBytes } from '@polkadot/util'
import { sr25519Verify as rawSr25519Verify } from '@polkadot/wasm-crypto'
import sodium from 'libsodium-wrappers-sumo'
import {
  createAccount,
  cryptoReady,
  decodeCanonical,
  decodeEnvelope,
  encodeEnvelope,
  linkEvents,
  sealMessage,
  signEvents,
  verifyEvent,
  verifySignature,
} from '../src/index.js'
import { measure, printTable } from './measure.js'

await cryptoReady()
const ms = Number(process.env.BENCH_MS ?? 1000)
console.log(`machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, node ${process.version}`)

const sr = createAccount({ uri: '//Alice', scheme: 'sr25519' })
const ed = createAccount({ uri: '//Alice', scheme: 'ed25519' })
const pub = { page: '/checkout', action: 'click', blob: 'x'.repeat(900) }
const draft = { bucket: 'demo', owner: sr.accountId, id: 'evt-1', type: 'page.view', ts: 1_700_000_000_000, pub }
const [{ envelope, bytes, cid }] = linkEvents(null, [draft]) as [ReturnType<typeof linkEvents>[number]]

const rows: { name: string; ddc: number; raw: number }[] = []

// Envelope encode + CID vs dag-cbor encode + sha256.
rows.push({
  name: 'envelope encode + CID (1 KB)',
  ddc: measure('ddc', () => encodeEnvelope(envelope), ms).opsPerSec,
  raw: measure('raw', () => createHash('sha256').update(dagCbor.encode(envelope)).digest(), ms).opsPerSec,
})

// Strict decode: one pass (decodeCanonical) vs what it replaced, a dag-cbor decode and re-encode.
rows.push({
  name: 'canonical decode (envelope, 1 KB)',
  ddc: measure('ddc', () => decodeCanonical(bytes), ms).opsPerSec,
  raw: measure('raw', () => dagCbor.encode(dagCbor.decode(bytes)), ms).opsPerSec,
})
rows.push({
  name: 'decode envelope + CID (1 KB)',
  ddc: measure('ddc', () => decodeEnvelope(bytes), ms).opsPerSec,
  raw: measure(
    'raw',
    () =>
      createHash('sha256')
        .update(dagCbor.encode(dagCbor.decode(bytes)))
        .digest(),
    ms,
  ).opsPerSec,
})

for (const signer of [sr, ed]) {
  const edDraft = { ...draft, owner: signer.accountId }
  const [item] = linkEvents(null, [edDraft])
  const [signed] = await signEvents(signer, [item!])
  const msg = u8aWrapBytes(sealMessage('event', 1, new Uint8Array(32)))
  const rawSig = signer.signRawSync(sealMessage('event', 1, new Uint8Array(32)))
  rows.push({
    name: `sign event (${signer.scheme})`,
    ddc: measure('ddc', () => void signer.signRawSync(sealMessage('event', 1, cid.bytes.subarray(4))), ms).opsPerSec,
    raw: measure('raw', () => void signer.signRawSync(msg), ms).opsPerSec,
  })
  const rawVerify =
    signer.scheme === 'sr25519'
      ? () => rawSr25519Verify(rawSig, msg, signer.accountId)
      : () => sodium.crypto_sign_verify_detached(rawSig, msg, signer.accountId)
  rows.push({
    name: `verify event (${signer.scheme})`,
    ddc: measure('ddc', () => verifyEvent(signed!), ms).opsPerSec,
    raw: measure('raw', rawVerify, ms).opsPerSec,
  })
  rows.push({
    name: `verify signature only (${signer.scheme})`,
    ddc: measure(
      'ddc',
      () => verifySignature(signer.scheme, signer.accountId, sealMessage('event', 1, new Uint8Array(32)), rawSig),
      ms,
    ).opsPerSec,
    raw: measure('raw', rawVerify, ms).opsPerSec,
  })
}
printTable('@ddc/core — envelope path vs raw libraries (single thread)', rows)
