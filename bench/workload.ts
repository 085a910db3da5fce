/**
 * The events every system in a run is fed: `eventBytes` of plaintext split over `scopes` scopes, each
 * sealed with @ddc/crypto's standard module, linked and signed with @ddc/core — per event or one
 * signature per batch. Peers get the very same encoded events (envelope + body) as opaque entries.
 */
import { randomBytes } from 'node:crypto'
import {
  cidOf,
  createAccount,
  type EventDraft,
  encodeCanonical,
  type Head,
  type LocalSigner,
  linkEvents,
  type SignedEvent,
  type SigScheme,
  signEvents,
} from '@ddc/core'
import { type EncryptionModule, KeyRing, standardModule } from '@ddc/crypto'

export interface WorkloadInit {
  eventBytes: number
  scopes: number
  scheme: SigScheme
  bucket: string
}

export interface BenchEvent extends SignedEvent {
  body: Uint8Array
}

export interface Workload extends WorkloadInit {
  module: EncryptionModule
  keys: KeyRing
  /** Plaintext fields of one event: `eventBytes` split over the scopes' fields. */
  data(): Record<string, string>
  /** A user (timeline owner) with this run's signature scheme. */
  user(name: string): LocalSigner
  /** Links `count` events after `head` on `signer`'s timeline; one signature per `batch` events (1: per event). */
  build(signer: LocalSigner, head: Head | null, count: number, batch: number): Promise<BenchEvent[]>
}

const field = (k: number) => `f${k}`

export function createWorkload(init: WorkloadInit): Workload {
  const scopeNames = Array.from({ length: init.scopes }, (_, k) => `s${k}`)
  const module = standardModule({
    scopes: { '*': { scopes: Object.fromEntries(scopeNames.map((s, k) => [s, [field(k)]])), unmapped: 'public' } },
  })
  // A fixed master key: events built by one run can be read (decrypted) by another process of it.
  const keys = new KeyRing({ keys: [{ level: 'master', key: new Uint8Array(32).fill(9) }] })
  const per = Math.max(1, Math.floor(init.eventBytes / Math.max(1, init.scopes)))
  const data = () =>
    Object.fromEntries(
      scopeNames.map((_, k) => [
        field(k),
        randomBytes(Math.ceil(per / 2))
          .toString('hex')
          .slice(0, per),
      ]),
    )

  async function build(signer: LocalSigner, head: Head | null, count: number, batch: number): Promise<BenchEvent[]> {
    const bodies: Uint8Array[] = []
    const drafts: EventDraft[] = []
    const base = Date.now()
    for (let k = 0; k < count; k++) {
      const id = `e${(head ? head.seq + 1 : 0) + k}-${randomBytes(4).toString('hex')}`
      const sealed = await module.encrypt(
        { bucket: init.bucket, owner: signer.accountId, id, type: 'page_view', data: data() },
        keys,
      )
      bodies.push(sealed.body)
      drafts.push({
        bucket: init.bucket,
        owner: signer.accountId,
        id,
        type: 'page_view',
        ts: base + k,
        enc: sealed.enc,
        scopes: sealed.scopes,
        body: cidOf(sealed.body),
        ...(sealed.pub ? { pub: sealed.pub } : {}),
      })
    }
    const linked = linkEvents(head, drafts)
    const signed: SignedEvent[] = []
    for (let k = 0; k < linked.length; k += batch)
      signed.push(...(await signEvents(signer, linked.slice(k, k + batch))))
    return signed.map((s, k) => ({ ...s, body: bodies[k]! }))
  }

  return {
    ...init,
    module,
    keys,
    data,
    user: (name) => createAccount({ uri: `//Bench//${init.scheme}//${name}`, scheme: init.scheme }),
    build,
  }
}

export const headAfter = (events: readonly BenchEvent[], before: Head | null): Head | null => {
  const last = events.at(-1)
  return last ? { seq: last.envelope.seq, cid: last.cid } : before
}

/** The DAG-CBOR append request body (`POST /events`) for these events. */
export const appendBody = (events: readonly BenchEvent[]): Uint8Array =>
  encodeCanonical(events.map((e) => ({ env: e.bytes, seal: e.seal, body: e.body })))

/** One event as a peer stores it: the same bytes DDC stores (envelope, seal, body) as one entry. */
export const entryOf = (e: BenchEvent): Uint8Array => encodeCanonical({ env: e.bytes, seal: e.seal, body: e.body })
