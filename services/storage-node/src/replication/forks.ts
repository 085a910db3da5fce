/**
 * Fork evidence (DESIGN.md "Cluster, CLS and replication"): compare-and-set at the first replica makes
 * two envelopes at one seq impossible unless a signer equivocates or replicas were split; if a replica
 * ever meets it, both signed envelopes are kept — durably, as store records — and reported
 * (`ddc_node_forks_total`, GET /forks). Nothing is overwritten: the timeline keeps the envelope it had.
 */
import { CID, decodeCanonical, encodeCanonical, type Seal, toHex } from '@ddc/core'
import type { Counter } from 'prom-client'
import type { TimelineRef, TimelineStore } from '../store/types.js'

export interface ForkSide {
  cid: CID
  env: Uint8Array
  seal: Seal
  /** Where this envelope came from: 'local' or a peer's node id. */
  source: string
}

export interface ForkRecord {
  bucket: string
  owner: Uint8Array
  seq: number
  sides: ForkSide[]
  detectedAt: number
}

const PREFIX = 'fork/'
const nameOf = (ref: TimelineRef, seq: number) =>
  `${PREFIX}${ref.bucket}\0${toHex(ref.owner)}\0${String(seq).padStart(16, '0')}`

export interface ForkBook {
  /** Keeps both envelopes; answers false when this fork was already recorded. */
  record(ref: TimelineRef, seq: number, sides: ForkSide[]): Promise<boolean>
  list(limit: number): Promise<ForkRecord[]>
}

interface Stored {
  bucket: string
  owner: Uint8Array
  seq: number
  detectedAt: number
  sides: { cid: Uint8Array; env: Uint8Array; seal: Seal; source: string }[]
}

export function createForkBook(store: TimelineStore, counter: Counter): ForkBook {
  return {
    async record(ref, seq, sides) {
      const name = nameOf(ref, seq)
      const [known] = await store.getRecords([name])
      if (known) return false
      const value: Stored = {
        bucket: ref.bucket,
        owner: ref.owner,
        seq,
        detectedAt: Date.now(),
        sides: sides.map((s) => ({ cid: s.cid.bytes, env: s.env, seal: s.seal, source: s.source })),
      }
      await store.putRecords({ put: [[name, encodeCanonical(value)]] })
      counter.inc()
      return true
    },
    async list(limit) {
      const rows = await store.listRecords({ prefix: PREFIX, limit })
      return rows.map(([, bytes]) => {
        const v = decodeCanonical<Stored>(bytes)
        return { ...v, sides: v.sides.map((s) => ({ ...s, cid: CID.decode(s.cid) })) }
      })
    },
  }
}
