/**
 * Mutation fuzzing of the append path (used by fuzz.test.ts and scripts/fuzz.ts): build a valid
 * append, damage it in one of many ways, send it, and hold the node to its promises — never a 5xx,
 * a refusal leaves the timelines as they were, an acceptance moves them exactly as the server says,
 * and the store stays consistent.
 */
import { CID, createAccount, type Head, type LocalSigner } from '@ddc/core'
import { buildEvents, carAppend, cborAppend, type FixtureEvent, jsonAppend, type TestNode } from './fixtures.js'

/** mulberry32: small, seedable, good enough to pick mutations reproducibly. */
export function rng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

type Format = 'cbor' | 'json' | 'car'
type Wire = { contentType: string; payload: Buffer }

const MUTATIONS = [
  'none',
  'flip-byte',
  'flip-bytes',
  'truncate',
  'append-junk',
  'swap-events',
  'drop-event',
  'duplicate-event',
  'seal-index',
  'seal-size',
  'seal-path',
  'seal-sig',
  'seal-scheme',
  'other-body',
  'content-type',
  'random-bytes',
] as const
export type Mutation = (typeof MUTATIONS)[number]

export interface FuzzState {
  accounts: LocalSigner[]
  heads: Map<string, Head | null>
  stats: Record<string, number>
}

export function fuzzState(): FuzzState {
  const accounts = Array.from({ length: 4 }, (_, k) => createAccount({ uri: `//Fuzz//${k}`, scheme: 'ed25519' }))
  return { accounts, heads: new Map(accounts.map((a) => [a.address, null])), stats: {} }
}

function mutateEvents(evs: FixtureEvent[], m: Mutation, r: () => number): FixtureEvent[] {
  const k = Math.floor(r() * evs.length)
  const e = evs[k]!
  const set = (ne: FixtureEvent) => evs.map((x, j) => (j === k ? ne : x))
  switch (m) {
    case 'swap-events':
      return evs.length > 1 ? [evs[1]!, evs[0]!, ...evs.slice(2)] : evs
    case 'drop-event':
      return evs.length > 1 ? evs.filter((_, j) => j !== Math.max(0, Math.min(k, evs.length - 2))) : evs
    case 'duplicate-event':
      return [...evs, e]
    case 'seal-index':
      return set({ ...e, seal: { ...e.seal, i: (e.seal.i + 1 + Math.floor(r() * 3)) % (e.seal.n + 1) } })
    case 'seal-size':
      return set({ ...e, seal: { ...e.seal, n: Math.max(1, e.seal.n + (r() < 0.5 ? -1 : 1)) } })
    case 'seal-path': {
      const path = e.seal.path.map((p) => new Uint8Array(p))
      if (path.length && r() < 0.7) path[Math.floor(r() * path.length)]![Math.floor(r() * 32)]! ^= 1
      else path.push(new Uint8Array(32))
      return set({ ...e, seal: { ...e.seal, path } })
    }
    case 'seal-sig': {
      const sig = new Uint8Array(e.seal.sig)
      sig[Math.floor(r() * sig.length)]! ^= 1 << Math.floor(r() * 8)
      return set({ ...e, seal: { ...e.seal, sig } })
    }
    case 'seal-scheme':
      return set({ ...e, seal: { ...e.seal, scheme: r() < 0.5 ? 'sr25519' : 'ecdsa' } })
    case 'other-body':
      return set({ ...e, body: evs[(k + 1) % evs.length]!.body ?? new Uint8Array([0xa0]) })
    default:
      return evs
  }
}

async function encode(evs: FixtureEvent[], f: Format): Promise<Wire> {
  if (f === 'json') return { contentType: 'application/json', payload: Buffer.from(JSON.stringify(jsonAppend(evs))) }
  if (f === 'car') return { contentType: 'application/vnd.ipld.car', payload: Buffer.from(await carAppend(evs)) }
  return { contentType: 'application/vnd.ipld.dag-cbor', payload: Buffer.from(cborAppend(evs)) }
}

function mutateBytes(w: Wire, m: Mutation, r: () => number): Wire {
  const p = Buffer.from(w.payload)
  const at = () => Math.floor(r() * p.length)
  switch (m) {
    case 'flip-byte':
      p[at()]! ^= 1 << Math.floor(r() * 8)
      return { ...w, payload: p }
    case 'flip-bytes':
      for (let k = 0; k < 1 + Math.floor(r() * 8); k++) p[at()] = Math.floor(r() * 256)
      return { ...w, payload: p }
    case 'truncate':
      return { ...w, payload: p.subarray(0, at()) }
    case 'append-junk':
      return { ...w, payload: Buffer.concat([p, Buffer.from([Math.floor(r() * 256), 0x00, 0xff])]) }
    case 'content-type':
      return {
        ...w,
        contentType: ['application/json', 'application/vnd.ipld.car', 'application/vnd.ipld.dag-cbor', 'text/plain'][
          Math.floor(r() * 4)
        ]!,
      }
    case 'random-bytes':
      return { ...w, payload: Buffer.from(Array.from({ length: Math.floor(r() * 200) }, () => Math.floor(r() * 256))) }
    default:
      return w
  }
}

/** One round: returns the status; throws when the node breaks a promise. */
export async function fuzzRound(t: TestNode, s: FuzzState, r: () => number): Promise<number> {
  const who = s.accounts[Math.floor(r() * s.accounts.length)]!
  const head = s.heads.get(who.address) ?? null
  const evs = await buildEvents(who, {
    bucket: 'pub',
    head,
    count: 1 + Math.floor(r() * 4),
    batch: r() < 0.7,
    type: (k) => (k % 2 ? 'a' : 'b'),
  })
  const m = MUTATIONS[Math.floor(r() * MUTATIONS.length)]!
  const format = (['cbor', 'json', 'car'] as const)[Math.floor(r() * 3)]!
  const wire = mutateBytes(await encode(mutateEvents(evs, m, r), format), m, r)
  const res = await t.app.inject({
    method: 'POST',
    url: '/events',
    payload: wire.payload,
    headers: { 'content-type': wire.contentType },
  })
  s.stats[`${m} ${res.statusCode}`] = (s.stats[`${m} ${res.statusCode}`] ?? 0) + 1
  if (res.statusCode >= 500) throw new Error(`mutation ${m} (${format}) answered ${res.statusCode}: ${res.body}`)
  const now = (await t.app.inject(`/buckets/pub/timelines/${who.address}`)).json()
  if (res.statusCode === 200) {
    s.heads.set(who.address, now.head ? { seq: now.head.seq, cid: CID.parse(now.head.cid) } : null)
  } else if ((now.head?.cid ?? null) !== (head ? head.cid.toString() : null)) {
    throw new Error(`mutation ${m} (${format}) was refused (${res.statusCode}) but moved the head`)
  }
  return res.statusCode
}
