// The process entry, run as a child process: its whole log stream (pino JSON on stdout, anything on
// stderr) is captured while it serves requests and fails, and must never hold a secret.
import assert from 'node:assert/strict'
import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'
import { createAccount, cryptoReady, generateAccount, toHex } from '@ddc/core'
import { encryptionKeyPair, generateMasterKey } from '@ddc/crypto'
import { SCOPES } from './_fixture.js'

const MAIN = fileURLToPath(new URL('./main.ts', import.meta.url))

interface Run {
  child: ChildProcess
  output: () => string
}

function start(env: Record<string, string>): Run {
  let out = ''
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN], {
    env: { PATH: process.env.PATH, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  child.stdout!.on('data', (d) => (out += d))
  child.stderr!.on('data', (d) => (out += d))
  return { child, output: () => out }
}

async function urlOf(run: Run): Promise<string> {
  for (let i = 0; i < 300; i++) {
    const m = /"url":"(http:\/\/127\.0\.0\.1:\d+)"/.exec(run.output())
    if (m) return m[1]!
    if (run.child.exitCode !== null) throw new Error(`service exited: ${run.output()}`)
    await new Promise((r) => setTimeout(r, 50))
  }
  throw new Error(`service did not start: ${run.output()}`)
}

async function exited(run: Run): Promise<number | null> {
  if (run.child.exitCode === null) await once(run.child, 'exit')
  return run.child.exitCode
}

function assertClean(output: string, secrets: Record<string, string>): void {
  for (const [what, secret] of Object.entries(secrets)) {
    assert.ok(!output.toLowerCase().includes(secret.toLowerCase()), `the log holds the ${what}`)
  }
}

describe('logs', () => {
  it('never hold the master key, the API token or the account secret, whatever the requests', async () => {
    await cryptoReady()
    const master = generateMasterKey()
    const token = 'log-test-token-5c1e9a7b3d'
    const { mnemonic } = generateAccount()
    const x25519Secret = encryptionKeyPair(createAccount({ uri: mnemonic }).encryptionSeed).secretKey
    const masterHex = toHex(master).slice(2)
    const secrets = {
      'master key (hex)': masterHex,
      'master key (base64)': Buffer.from(master).toString('base64'),
      'API token': token,
      'account mnemonic': mnemonic,
      'X25519 secret key': toHex(x25519Secret).slice(2),
    }
    const run = start({
      DDC_CRYPTO_PORT: '0',
      DDC_CRYPTO_LOG_LEVEL: 'debug',
      DDC_CRYPTO_ACCOUNT_URI: mnemonic,
      DDC_CRYPTO_BUCKETS: JSON.stringify({ 'demo-app': { masterKey: masterHex, scopes: SCOPES } }),
      DDC_CRYPTO_TOKENS: JSON.stringify([{ name: 'ci', token }]),
    })
    try {
      const url = await urlOf(run)
      const bob = createAccount({ uri: '//Bob' })
      const post = (path: string, body: unknown, auth = `Bearer ${token}`) =>
        fetch(`${url}${path}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: auth },
          body: JSON.stringify(body),
        })
      const ev = {
        bucket: 'demo-app',
        owner: bob.address,
        id: 'e1',
        type: 'page_view',
        data: { email: 'b@x', page: '/' },
      }
      const enc = await (await post('/v1/encrypt', ev)).json()
      const { data: _d, ...meta } = ev
      const dec = await post('/v1/decrypt', { envelope: { ...meta, enc: enc.enc, scopes: enc.scopes }, body: enc.body })
      assert.equal(dec.status, 200)
      const exp = Date.now() + 60_000
      const grantee = { account: bob.address, x25519: toHex(encryptionKeyPair(bob.encryptionSeed).publicKey) }
      assert.equal((await post('/v1/keys/wrap', { bucket: 'demo-app', scope: 'profile', grantee, exp })).status, 200)
      assert.equal((await post('/v1/encrypt', ev, `Bearer ${token.slice(0, -1)}`)).status, 401)
      assert.equal((await post('/v1/encrypt', ev, `Basic ${token}`)).status, 401)
      assert.equal((await post('/v1/encrypt', { ...ev, bucket: 'nope' })).status, 404)
      assert.equal((await post('/v1/decrypt', { envelope: meta, body: '!!' })).status, 400)
      assert.equal((await post('/v1/keys/wrap', { bucket: 'demo-app', scope: 'x', grantee, exp: 1 })).status, 400)
      assert.equal((await fetch(`${url}/v1/account`, { headers: { authorization: `Bearer ${token}` } })).status, 200)
      run.child.kill('SIGTERM')
      assert.equal(await exited(run), 0)
      const log = run.output()
      assert.match(log, /"msg":"DDC crypto service running"/)
      assert.match(log, /"msg":"incoming request"/)
      assert.match(log, /"caller":"ci","msg":"authenticated"/, 'requests are logged, with the token name only')
      assertClean(log, secrets)
    } finally {
      run.child.kill('SIGKILL')
    }
  })

  it('refuses configuration that does not parse without quoting the key material in it', async () => {
    const masterHex = toHex(generateMasterKey()).slice(2)
    // JSON.parse's own message would quote the text around the error, key included.
    const run = start({
      DDC_CRYPTO_PORT: '0',
      DDC_CRYPTO_ACCOUNT_URI: '//LogTest',
      DDC_CRYPTO_BUCKETS: `{"demo-app": {"masterKey": "${masterHex}",}}`,
    })
    assert.notEqual(await exited(run), 0)
    const log = run.output()
    assert.match(log, /^error: config buckets \(DDC_CRYPTO_BUCKETS\) is not valid JSON$/m)
    assertClean(log, { 'master key': masterHex.slice(8) })
  })
})
