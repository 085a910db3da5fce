/**
 * Bench driver helper (worker thread): pre-builds one stream of append requests — signed events with
 * 1,113-byte "encrypted" bodies (three sealed scopes) — and returns the DAG-CBOR bodies. Signing is
 * slow (sr25519 ≈ 1 ms), so streams are built in parallel on worker threads before the clock starts.
 */
import { parentPort } from 'node:worker_threads'
import { createAccount, cryptoReady, type Head, issueCapability, type SigScheme, signEvents } from '@ddc/core'
import * as dagCbor from '@ipld/dag-cbor'
import { buildEvents, type FixtureEvent } from '../src/fixtures.js'

export interface StreamSpec {
  /** Events in each request are signed one by one by their owners, or once per request. */
  mode: 'per-event' | 'owner-batch' | 'delegate-batch'
  scheme: SigScheme
  bucket: string
  bucketOwnerUri: string
  users: string[]
  requests: number
  /** Events per user per request. */
  perUser: number
}

type Encrypt = NonNullable<Parameters<typeof buildEvents>[1]['encrypt']>

/**
 * Real bodies from @ddc/crypto's standard module (three scopes, ~1 KB of fields) when that package
 * loads; otherwise random bodies of the same shape (fixtures.makeBody).
 */
async function encryptor(): Promise<{ encrypt?: Encrypt; kind: string }> {
  try {
    const crypto = await import('@ddc/crypto')
    const module = crypto.standardModule({
      scopes: {
        '*': {
          scopes: { profile: ['email', 'name', 'bio'], activity: ['page', 'action', 'referrer'], extra: ['payload'] },
          unmapped: 'public',
        },
      },
    })
    const keys = new crypto.KeyRing({ keys: [{ level: 'master', key: new Uint8Array(32).fill(7) }] })
    const data = {
      email: 'someone@example.com',
      name: 'Some One',
      bio: 'b'.repeat(300),
      page: '/products/42',
      action: 'view',
      referrer: 'r'.repeat(280),
      payload: 'p'.repeat(300),
      app: 'bench',
    }
    const encrypt: Encrypt = async (ev) => {
      const out = await module.encrypt({ ...ev, data }, keys)
      return { enc: out.enc, scopes: out.scopes, body: out.body, ...(out.pub ? { pub: out.pub } : {}) }
    }
    await encrypt({ bucket: 'probe', owner: new Uint8Array(32), id: 'probe', type: 'probe' })
    return { encrypt, kind: '@ddc/crypto standard module' }
  } catch (err) {
    return { kind: `random bodies (@ddc/crypto unavailable: ${(err as Error).message.slice(0, 80)})` }
  }
}

function encodeList(events: readonly FixtureEvent[], caps?: Uint8Array): Uint8Array {
  const list = events.map((e) => ({ env: e.bytes, seal: e.seal, body: e.body! }))
  return caps ? dagCbor.encode({ events: list, caps: [dagCbor.decode(caps)] }) : dagCbor.encode(list)
}

async function build(spec: StreamSpec, encrypt?: Encrypt): Promise<Uint8Array[]> {
  await cryptoReady()
  const users = spec.users.map((uri) => createAccount({ uri, scheme: spec.scheme }))
  const heads = new Map<string, Head | null>(spec.users.map((u) => [u, null]))
  let caps: Uint8Array | undefined
  let delegate = users[0]!
  let capCid: FixtureEvent['envelope']['cap']
  if (spec.mode === 'delegate-batch') {
    const owner = createAccount({ uri: spec.bucketOwnerUri })
    delegate = createAccount({ uri: `${spec.users[0]}//app`, scheme: spec.scheme })
    const root = await issueCapability(owner, {
      aud: delegate.accountId,
      bucket: spec.bucket,
      ops: ['append'],
      // Far in the future: built requests are cached between bench runs.
      exp: Date.now() + 365 * 24 * 3600_000,
    })
    caps = dagCbor.encode([{ cap: root.bytes, seal: root.seal }])
    capCid = root.cid
  }
  const out: Uint8Array[] = []
  for (let r = 0; r < spec.requests; r++) {
    const events: FixtureEvent[] = []
    for (let k = 0; k < users.length; k++) {
      const user = users[k]!
      const uri = spec.users[k]!
      const signer = spec.mode === 'delegate-batch' ? delegate : user
      const evs = await buildEvents(signer, {
        bucket: spec.bucket,
        owner: user.accountId,
        head: heads.get(uri)!,
        count: spec.perUser,
        type: (i) => (i % 4 === 0 ? 'purchase' : 'page_view'),
        batch: spec.mode !== 'per-event',
        ...(capCid ? { cap: capCid } : {}),
        ...(encrypt ? { encrypt } : {}),
      })
      const last = evs[evs.length - 1]!
      heads.set(uri, { seq: last.envelope.seq, cid: last.cid })
      events.push(...evs)
    }
    if (spec.mode === 'delegate-batch') {
      // One signature over the whole request: re-seal the drafts as one batch by the delegate.
      const resealed = await signEvents(delegate, events)
      out.push(
        encodeList(
          resealed.map((e, i) => ({ ...e, body: events[i]!.body })),
          caps,
        ),
      )
    } else out.push(encodeList(events))
  }
  return out
}

const port = parentPort!
const bodies = encryptor()
port.on('message', async (spec: StreamSpec) => {
  const { encrypt, kind } = await bodies
  const built = await build(spec, encrypt)
  port.postMessage(
    { kind, bodies: built },
    built.map((b) => b.buffer as ArrayBuffer),
  )
})
