/**
 * Test, fuzz and bench fixtures: signed events with "encrypted" body blocks, and append bodies in the
 * three wire formats. Bodies are random bytes shaped like the crypto module's output (three sealed
 * scopes in one DAG-CBOR block) — a storage node never opens them.
 */
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  type CID,
  cidOf,
  createAccount,
  cryptoReady,
  type EventDraft,
  encodeCanonical,
  encodeCapabilityChain,
  encodeCapabilityList,
  type Head,
  type LocalSigner,
  linkEvents,
  type SignedCapability,
  type SignedEvent,
  type Signer,
  sealToJson,
  signEvents,
} from '@ddc/core'
import { CarWriter } from '@ipld/car'
import { createStorageNode, type StorageNode, type StorageNodeInit } from './node.js'

export interface FixtureEvent extends SignedEvent {
  body?: Uint8Array
}

/** A body block like the standard encryption module writes: scope → nonce‖ciphertext. */
export function makeBody(scopeBytes = 360): Uint8Array {
  return encodeCanonical({
    activity: new Uint8Array(randomBytes(scopeBytes)),
    extra: new Uint8Array(randomBytes(scopeBytes)),
    profile: new Uint8Array(randomBytes(scopeBytes)),
  })
}

export interface BuildInit {
  bucket: string
  /** Timeline owner (account id); defaults to the signer's. */
  owner?: Uint8Array
  head: Head | null
  count: number
  type?: string | ((k: number) => string)
  ts?: (k: number) => number
  /** Sign all events with one signature (default) or one signature per event. */
  batch?: boolean
  /** A delegate signs: the capability it signs under. */
  cap?: CID
  pub?: (k: number) => Record<string, unknown> | undefined
  /** Omit the body block (events with public fields only). */
  noBody?: boolean
  /** Real encryption (an encryption module): the envelope fields and body block for an event. */
  encrypt?: (event: { bucket: string; owner: Uint8Array; id: string; type: string }) => Promise<{
    enc: string
    scopes: Record<string, { epoch: number; kid?: string }>
    body: Uint8Array
    pub?: Record<string, unknown>
  }>
  idPrefix?: string
}

/** Links and signs `count` events after `head`. */
export async function buildEvents(signer: Signer, init: BuildInit): Promise<FixtureEvent[]> {
  const owner = init.owner ?? signer.accountId
  const delegate = init.cap !== undefined
  const bodies: (Uint8Array | undefined)[] = []
  const drafts: EventDraft[] = []
  const base = Date.now()
  for (let k = 0; k < init.count; k++) {
    const type = typeof init.type === 'function' ? init.type(k) : (init.type ?? 'page_view')
    const id = `${init.idPrefix ?? 'ev'}-${(init.head ? init.head.seq + 1 : 0) + k}-${randomBytes(4).toString('hex')}`
    const sealed = init.noBody
      ? undefined
      : init.encrypt
        ? await init.encrypt({ bucket: init.bucket, owner, id, type })
        : {
            enc: 'xchacha20poly1305-blake2b-v1',
            scopes: { activity: { epoch: 0 }, extra: { epoch: 0 }, profile: { epoch: 0 } },
            body: makeBody(),
          }
    bodies.push(sealed?.body)
    const pub = init.pub?.(k) ?? sealed?.pub
    drafts.push({
      bucket: init.bucket,
      owner,
      id,
      type,
      ts: init.ts ? init.ts(k) : base + k,
      ...(pub ? { pub } : {}),
      ...(sealed ? { enc: sealed.enc, scopes: sealed.scopes, body: cidOf(sealed.body) } : {}),
      ...(delegate ? { signer: signer.accountId, cap: init.cap } : {}),
    })
  }
  const linked = linkEvents(init.head, drafts)
  const signed =
    init.batch === false
      ? (await Promise.all(linked.map((l) => signEvents(signer, [l])))).flat()
      : await signEvents(signer, linked)
  return signed.map((s, k) => (bodies[k] ? { ...s, body: bodies[k] } : s))
}

export const headOf = (events: readonly FixtureEvent[]): Head => {
  const last = events[events.length - 1]!
  return { seq: last.envelope.seq, cid: last.cid }
}

/** `application/vnd.ipld.dag-cbor` append body. */
export function cborAppend(events: readonly FixtureEvent[], chains: readonly SignedCapability[][] = []): Uint8Array {
  const list = events.map((e) =>
    e.body ? { env: e.bytes, seal: e.seal, body: e.body } : { env: e.bytes, seal: e.seal },
  )
  if (chains.length === 0) return encodeCanonical(list)
  return encodeCanonical({ events: list, caps: chains.map((c) => c.map((l) => ({ cap: l.bytes, seal: l.seal }))) })
}

/** `application/json` append body. */
export function jsonAppend(events: readonly FixtureEvent[], chains: readonly SignedCapability[][] = []) {
  return {
    events: events.map((e) => ({
      envelope: Buffer.from(e.bytes).toString('base64'),
      seal: sealToJson(e.seal),
      ...(e.body ? { body: Buffer.from(e.body).toString('base64') } : {}),
    })),
    ...(chains.length ? { capabilities: chains.map((c) => encodeCapabilityChain(c)) } : {}),
  }
}

/** `application/vnd.ipld.car` append body: manifest root, then envelopes, bodies and capabilities. */
export async function carAppend(
  events: readonly FixtureEvent[],
  chains: readonly SignedCapability[][] = [],
): Promise<Uint8Array> {
  const manifest = encodeCanonical({
    events: events.map((e) => ({
      env: e.cid,
      seal: e.seal,
      ...(e.body && e.envelope.body ? { body: e.envelope.body } : {}),
    })),
    ...(chains.length ? { caps: chains.map((c) => c.map((l) => ({ cap: l.cid, seal: l.seal }))) } : {}),
  })
  const root = cidOf(manifest)
  const { writer, out } = CarWriter.create([root])
  const parts: Uint8Array[] = []
  const done = (async () => {
    for await (const chunk of out) parts.push(chunk)
  })()
  await writer.put({ cid: root, bytes: manifest })
  for (const e of events) {
    await writer.put({ cid: e.cid, bytes: e.bytes })
    if (e.body && e.envelope.body) await writer.put({ cid: e.envelope.body, bytes: e.body })
  }
  for (const c of chains) for (const l of c) await writer.put({ cid: l.cid, bytes: l.bytes })
  await writer.close()
  await done
  return new Uint8Array(Buffer.concat(parts))
}

/** The capability list bytes of one chain (for hand-made CBOR bodies). */
export const chainList = (chain: readonly SignedCapability[]): Uint8Array => encodeCapabilityList(chain)

export interface TestAccounts {
  /** Owner of buckets `pub` (public) and `priv` (private). */
  owner: LocalSigner
  alice: LocalSigner
  bob: LocalSigner
  /** An app server that signs for users as a delegate. */
  server: LocalSigner
  mallory: LocalSigner
}

export function testAccounts(): TestAccounts {
  return {
    owner: createAccount({ uri: '//Owner' }),
    alice: createAccount({ uri: '//Alice' }),
    bob: createAccount({ uri: '//Bob', scheme: 'ed25519' }),
    server: createAccount({ uri: '//AppServer', scheme: 'ed25519' }),
    mallory: createAccount({ uri: '//Mallory' }),
  }
}

export interface TestNode extends TestAccounts {
  node: StorageNode
  app: StorageNode['app']
  dir: string
  close(): Promise<void>
}

/** A node on a temporary directory with buckets `pub` and `priv`, verifying inline unless told. */
export async function startTestNode(init: Partial<StorageNodeInit> = {}): Promise<TestNode> {
  await cryptoReady()
  const accounts = testAccounts()
  const dir = mkdtempSync(join(tmpdir(), 'ddc-node-'))
  const node = await createStorageNode({
    dataDir: dir,
    buckets: [
      { id: 'pub', owner: accounts.owner.accountId, isPublic: true },
      { id: 'priv', owner: accounts.owner.accountId, isPublic: false },
    ],
    verifyWorkers: 0,
    defaultMetrics: false,
    ...init,
  })
  return {
    ...accounts,
    node,
    app: node.app,
    dir,
    async close() {
      await node.close()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
