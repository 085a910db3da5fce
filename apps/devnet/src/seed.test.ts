// The demo seeder against a real network (dev chain, CLS, 3 storage nodes in-process): what it wrote
// reads back verified and decrypted, the erased event reads redacted, the analyst opens exactly the
// shared scope, and `seed.ts` run as a process seeds what devnet.json describes.
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { createAccount, decodeSignedCapability } from '@ddc/core'
import { KeyRing } from '@ddc/crypto'
import { createClient, fromWire, type ReadEvent } from '@ddc/sdk'
import { DEMO_BUCKET, PUBLIC_BUCKET, startTestNet, type TestNet } from '@ddc/testing/testnet'
import { DEMO_BUCKET_OWNER, DEMO_USERS, demoEncryption, demoTimeline, type SeedReport, seedDemo } from './seed.js'

const all = async <T>(it: AsyncIterable<T>) => {
  const out: T[] = []
  for await (const x of it) out.push(x)
  return out
}

describe('demo seeder', () => {
  let net: TestNet
  let report: SeedReport
  const masterKey = randomBytes(32).toString('hex')

  before(async () => {
    net = await startTestNet()
    report = await seedDemo({ cls: net.cls, bucket: DEMO_BUCKET, masterKey })
  })
  after(() => net?.close())

  it("writes each user's timeline, read back verified and decrypted; the erased event reads redacted", async () => {
    assert.deepEqual(
      report.users.map((u) => u.uri),
      [...DEMO_USERS],
    )
    for (const u of report.users) {
      const owner = createClient({
        signer: createAccount({ uri: u.uri }),
        cls: net.cls,
        encryption: demoEncryption(DEMO_BUCKET, masterKey),
      })
      const read: ReadEvent[] = await all(owner.events(DEMO_BUCKET))
      assert.deepEqual(
        read.map((e) => e.cid.toString()),
        u.events.map((e) => e.cid),
      )
      const expected = demoTimeline(u.uri)
      for (const [i, input] of expected.entries()) {
        const e = read[i]!
        assert.equal(e.type, input.type)
        if (u.erased.includes(e.cid.toString())) {
          // The body is gone; the envelope and its public fields stay, so the chain still verifies.
          assert.equal(e.redacted, true)
          assert.deepEqual(e.data, { lang: 'en' })
        } else {
          assert.equal(e.redacted, false)
          assert.deepEqual(e.data, input.data, `${u.uri} event ${i}`)
          assert.deepEqual(e.locked, [])
        }
      }
      const report = await owner.verifyTimeline(DEMO_BUCKET)
      assert.equal(report.ok, true, JSON.stringify(report.failure))
    }
    assert.equal(report.users.flatMap((u) => u.erased).length, 1)
    assert.ok(new Set(report.users.flatMap((u) => u.events.map((e) => e.type))).size >= 5)
  })

  it('keeps scopes sealed from a reader without keys', async () => {
    const bob = report.users[0]!
    const ownerWithoutKeys = createClient({ signer: createAccount({ uri: DEMO_BUCKET_OWNER }), cls: net.cls })
    const [signup] = await all(ownerWithoutKeys.events(DEMO_BUCKET, bob.address, { limit: 1 }))
    assert.deepEqual(signup!.data, { plan: 'free', referrer: 'newsletter' })
    assert.deepEqual(signup!.locked.map((l) => l.scope).sort(), ['profile'])
  })

  it('lets the analyst read the shared scope of one timeline, and only that', async () => {
    const a = report.analyst
    const cap = fromWire(a.capability)
    const analyst = createClient({
      signer: createAccount({ uri: a.uri }),
      cls: net.cls,
      encryption: { module: demoEncryption(DEMO_BUCKET, masterKey).module, keys: new KeyRing() },
      readCapability: [decodeSignedCapability(cap.bytes, cap.seal)],
    })
    await analyst.openGrant(a.grant)
    const read = await all(analyst.events(DEMO_BUCKET, a.owner))
    const click = read.find((e) => e.type === 'click')!
    assert.deepEqual(click.opened, [a.scope])
    assert.deepEqual(click.data, { page: '/pricing', action: 'start_trial', button: 'hero' })
    const signup = read.find((e) => e.type === 'signup')!
    assert.deepEqual(
      signup.locked.map((l) => l.scope),
      ['profile'],
    )
    const other = report.users.find((u) => u.address !== a.owner)!
    await assert.rejects(all(analyst.events(DEMO_BUCKET, other.address)), { code: 'ERR_UNAUTHORIZED' })
  })

  it('runs as `npm run seed` against the network a devnet.json describes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ddc-seed-'))
    try {
      writeFileSync(join(dir, 'devnet.json'), JSON.stringify({ cls: net.cls, demoBucket: PUBLIC_BUCKET, dataDir: dir }))
      writeFileSync(join(dir, 'dev-secrets.json'), JSON.stringify({ cryptoToken: 'x', demoMasterKey: masterKey }))
      const seed = fileURLToPath(new URL('./seed.ts', import.meta.url))
      // Asynchronously: the network answering the child runs in this process.
      const { stdout: out } = await promisify(execFile)(process.execPath, ['--import', 'tsx', seed, '--dir', dir], {
        encoding: 'utf8',
        timeout: 60_000,
      })
      assert.match(out, /seeded bucket 2:/)
      const written = JSON.parse(readFileSync(join(dir, 'seed.json'), 'utf8')) as SeedReport
      assert.equal(written.bucket, PUBLIC_BUCKET)
      assert.deepEqual(
        written.users.map((u) => u.events.length),
        [5, 6, 5],
      )
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
