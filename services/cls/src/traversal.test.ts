import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { StorageNode } from '@ddc/chain'
import { devAccount } from '@ddc/chain-node'
import { replicaSet } from '@ddc/cluster'
import {
  createAccount,
  delegateCapability,
  issueCapability,
  type LocalSigner,
  type SignedCapability,
  signRequest,
  toHex,
} from '@ddc/core'
import { append, buildEvents, DEV_CLUSTER, startNetwork, type TestNetwork, users } from './_fixture.js'
import type { Cls } from './server.js'
import { traverseBucket } from './traversal.js'

let net: TestNetwork
let cls: Cls & { url: string }
let nodes: StorageNode[]
let publicBucket: string
const owners = users(25)
/** Events each owner's timeline has; every fifth owner's third replica holds only the first event. */
const lengthOf = (k: number) => 1 + (k % 4)
const lagging = (k: number) => k % 5 === 0 && lengthOf(k) > 1

interface Row {
  owner: string
  length: number
  head: { seq: number; cid: string } | null
  replicas: { node: string; length: number }[]
}

async function writeTimelines(bucket: string, who: readonly LocalSigner[]): Promise<void> {
  for (const [k, owner] of who.entries()) {
    const events = await buildEvents(owner, bucket, null, lengthOf(k))
    const home = replicaSet(bucket, owner.accountId, nodes, 3)
    for (const [r, node] of home.entries()) {
      const url = net.nodes.find((n) => n.id === node.id)!.url
      await append(url, r === 2 && lagging(k) ? events.slice(0, 1) : events)
    }
  }
}

async function allPages(url: string, limit: number, headers: Record<string, string> = {}) {
  const rows: Row[] = []
  let cursor: string | undefined
  let pages = 0
  do {
    const res = await cls.app.inject({
      url: `${url}?limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`,
      headers,
    })
    assert.equal(res.statusCode, 200, res.body)
    const page = res.json()
    assert.ok(page.timelines.length <= limit)
    assert.deepEqual(page.nodes.failed, [])
    rows.push(...page.timelines)
    cursor = page.next
    pages++
  } while (cursor)
  return { rows, pages }
}

const sortedAddresses = (who: readonly LocalSigner[]) =>
  [...who].sort((a, b) => (toHex(a.accountId) < toHex(b.accountId) ? -1 : 1)).map((o) => o.address)

describe('per-app traversal', () => {
  before(async () => {
    net = await startNetwork({ nodes: 4 })
    nodes = await net.chain.listNodes({ clusterId: DEV_CLUSTER })
    const alice = await net.signed('Alice')
    publicBucket = (await alice.createBucket({ clusterId: DEV_CLUSTER, isPublic: true })).bucket.id
    await writeTimelines(publicBucket, owners)
    await writeTimelines('1', owners.slice(0, 5))
    // Probing is slow here on purpose: a node that stops is still "serving" when traversal asks it.
    cls = await net.startCls({ probeIntervalMs: 60_000, account: createAccount({ uri: '//DdcCls' }) })
  })
  after(async () => net?.close())

  it('merges the listings of every node: each timeline once, in owner order, longest head, across pages', async () => {
    const { rows, pages } = await allPages(`/v1/buckets/${publicBucket}/timelines`, 7)
    assert.equal(pages, 4)
    assert.deepEqual(
      rows.map((r) => r.owner),
      sortedAddresses(owners),
    )
    for (const row of rows) {
      const k = owners.findIndex((o) => o.address === row.owner)
      const owner = owners[k]!
      assert.equal(row.length, lengthOf(k), row.owner)
      assert.equal(row.head?.seq, lengthOf(k) - 1)
      const home = replicaSet(publicBucket, owner.accountId, nodes, 3).map((n) => n.id)
      assert.deepEqual(row.replicas.map((r) => r.node).sort(), [...home].sort())
      const third = row.replicas.find((r) => r.node === home[2])!
      assert.equal(third.length, lagging(k) ? 1 : lengthOf(k))
    }
    // One big page gives the same list.
    const whole = await allPages(`/v1/buckets/${publicBucket}/timelines`, 1000)
    assert.equal(whole.pages, 1)
    assert.deepEqual(whole.rows, rows)
  })

  it('traverses a bucket as an async iterable (traverseBucket), page after page', async () => {
    const seen: string[] = []
    for await (const t of traverseBucket({
      bucket: publicBucket,
      nodes: net.nodes.map((n) => ({ id: n.id, endpoints: [n.url] })),
      pageSize: 4,
    })) {
      seen.push(toHex(t.owner))
    }
    assert.deepEqual(seen, owners.map((o) => toHex(o.accountId)).sort())
  })

  it('refuses a bad cursor, a bad limit and an unknown bucket with stable codes', async () => {
    const cases: [string, number, string][] = [
      [`/v1/buckets/${publicBucket}/timelines?cursor=nonsense`, 400, 'ERR_INVALID_INPUT'],
      [
        `/v1/buckets/${publicBucket}/timelines?cursor=${Buffer.alloc(33, 7).toString('base64url')}`,
        400,
        'ERR_INVALID_INPUT',
      ],
      [`/v1/buckets/${publicBucket}/timelines?limit=0`, 400, 'ERR_INVALID_INPUT'],
      [`/v1/buckets/${publicBucket}/timelines?limit=1001`, 400, 'ERR_INVALID_INPUT'],
      ['/v1/buckets/999/timelines', 404, 'ERR_NOT_FOUND'],
    ]
    for (const [url, status, code] of cases) {
      const res = await cls.app.inject(url)
      assert.equal(res.statusCode, status, url)
      assert.equal(res.json().code, code, url)
    }
  })

  it('still lists every timeline when one replica does not answer, and names that node', async () => {
    const down = net.nodes[1]!
    await down.stop()
    try {
      const res = await cls.app.inject(`/v1/buckets/${publicBucket}/timelines?limit=1000`)
      assert.equal(res.statusCode, 200)
      const page = res.json()
      assert.deepEqual(
        page.nodes.failed.map((f: { node: string; code: string }) => [f.node, f.code]),
        [[down.id, 'ERR_UNAVAILABLE']],
      )
      assert.equal(page.timelines.length, owners.length)
      assert.ok(page.timelines.every((t: Row) => !t.replicas.some((r) => r.node === down.id)))
    } finally {
      await down.start()
    }
  })

  describe('private buckets', () => {
    const url = '/v1/buckets/1/timelines?limit=50'
    let alice: LocalSigner
    let dave: LocalSigner
    let clsAccount: string
    const signed = async (signer: LocalSigner, capability: SignedCapability[], path = url) => ({
      url: path,
      headers: await signRequest(signer, { method: 'GET', url: path, capability }),
    })

    before(async () => {
      alice = await devAccount('Alice')
      dave = await devAccount('Dave')
      clsAccount = (await cls.app.inject('/v1/info')).json().account
      assert.equal(clsAccount, createAccount({ uri: '//DdcCls' }).address)
    })

    it('lists for the bucket owner, who delegates read to the CLS account and signs the request', async () => {
      const cap = await issueCapability(alice, {
        aud: clsAccount,
        bucket: '1',
        ops: ['read'],
        exp: Date.now() + 60_000,
      })
      const res = await cls.app.inject(await signed(alice, [cap]))
      assert.equal(res.statusCode, 200, res.body)
      assert.deepEqual(
        res.json().timelines.map((t: Row) => t.owner),
        sortedAddresses(owners.slice(0, 5)),
      )
      // The same signed request again is a replay.
      const headers = await signRequest(alice, { method: 'GET', url, capability: [cap] })
      assert.equal((await cls.app.inject({ url, headers })).statusCode, 200)
      const replay = await cls.app.inject({ url, headers })
      assert.equal(replay.statusCode, 401)
      assert.equal(replay.json().code, 'ERR_REPLAY')
    })

    it('lists for a reader who holds a read capability and delegates it on to the CLS', async () => {
      const root = await issueCapability(alice, {
        aud: dave.address,
        bucket: '1',
        ops: ['read'],
        exp: Date.now() + 60_000,
      })
      const chain = await delegateCapability(dave, [root], {
        aud: clsAccount,
        bucket: '1',
        ops: ['read'],
        exp: Date.now() + 30_000,
      })
      const res = await cls.app.inject(await signed(dave, chain))
      assert.equal(res.statusCode, 200, res.body)
      assert.equal(res.json().timelines.length, 5)
    })

    it('refuses unsigned requests, chains that do not grant the CLS, and signers who did not delegate', async () => {
      const unsigned = await cls.app.inject(url)
      assert.equal(unsigned.statusCode, 401)
      assert.equal(unsigned.json().code, 'ERR_UNAUTHORIZED')
      assert.match(unsigned.json().message, new RegExp(clsAccount))

      const toCls = await issueCapability(alice, {
        aud: clsAccount,
        bucket: '1',
        ops: ['read'],
        exp: Date.now() + 60_000,
      })
      const toDave = await issueCapability(alice, {
        aud: dave.address,
        bucket: '1',
        ops: ['read'],
        exp: Date.now() + 60_000,
      })
      const appendOnly = await issueCapability(alice, {
        aud: clsAccount,
        bucket: '1',
        ops: ['append'],
        exp: Date.now() + 60_000,
      })
      const expired = await issueCapability(alice, { aud: clsAccount, bucket: '1', ops: ['read'], exp: Date.now() - 1 })
      const byDave = await issueCapability(dave, {
        aud: clsAccount,
        bucket: '1',
        ops: ['read'],
        exp: Date.now() + 60_000,
      })
      const cases: [LocalSigner, SignedCapability[], string][] = [
        [alice, [], 'ERR_UNAUTHORIZED'],
        [alice, [toDave], 'ERR_UNAUTHORIZED'], // granted to someone else
        [alice, [appendOnly], 'ERR_UNAUTHORIZED'],
        [alice, [expired], 'ERR_EXPIRED'],
        [dave, [byDave], 'ERR_UNAUTHORIZED'], // not rooted at the bucket owner
        [dave, [toCls], 'ERR_UNAUTHORIZED'], // Alice's delegation, replayed by Dave
      ]
      for (const [signer, chain, code] of cases) {
        const res = await cls.app.inject(await signed(signer, chain))
        assert.equal(res.statusCode, 401, `${code} ${res.body}`)
        assert.equal(res.json().code, code, res.body)
      }
    })

    it('answers 501 on a CLS that has no account to read with', async () => {
      const bare = await net.startCls({ probeIntervalMs: 60_000 })
      const res = await bare.app.inject(url)
      assert.equal(res.statusCode, 501)
      assert.equal(res.json().code, 'ERR_NOT_SUPPORTED')
      assert.equal((await bare.app.inject(`/v1/buckets/${publicBucket}/timelines`)).statusCode, 200)
    })
  })
})
