// The README's configuration and curl examples, run as written against a service on a real socket.
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { promisify } from 'node:util'
import { loadConfig } from '@ddc/service'
import { CryptoServiceConfig } from './config.js'
import { createCryptoService } from './server.js'

const README = readFileSync(new URL('../README.md', import.meta.url), 'utf8')
const blocks = (marker: string, lang: string): string[] =>
  [...README.matchAll(new RegExp(`<!-- ${marker} -->\\n\`\`\`${lang}\\n([\\s\\S]*?)\`\`\``, 'g'))].map((m) => m[1]!)
const snake = (k: string) => k.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase()
const BOB = '5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty'
const CHARLIE = '5FLSigC9HGRKVhB9FiEo4Y3koPsNmBmLJbpXg2mp1hXcS59Y'

describe('README', () => {
  it('documents every setting with its environment variable', () => {
    for (const key of Object.keys(CryptoServiceConfig.properties)) {
      assert.match(README, new RegExp(`\\| \`${key}\` +\\| \`DDC_CRYPTO_${snake(key)}\``), key)
    }
  })

  it('runs its curl examples, in order, against a service started from its example configuration', async () => {
    const [configJson] = blocks('config', 'json')
    assert.ok(configJson, 'the README has an example configuration')
    const dir = mkdtempSync(join(tmpdir(), 'ddc-crypto-readme-'))
    const file = join(dir, 'crypto.json')
    writeFileSync(file, configJson)
    const config = loadConfig(CryptoServiceConfig, {
      envPrefix: 'DDC_CRYPTO',
      env: { DDC_CRYPTO_CONFIG: file, DDC_CRYPTO_ACCOUNT_URI: '//CryptoService' },
      overrides: { port: 0 },
    })
    const app = await createCryptoService({ ...config, logger: false, defaultMetrics: false })
    try {
      const url = await app.listen({ host: '127.0.0.1', port: 0 })
      const examples = blocks('example', 'sh')
      const doc = (await app.inject('/openapi.json')).json()
      for (const path of Object.keys(doc.paths)) {
        assert.ok(
          examples.some((e) => e.includes(`$DDC_CRYPTO${path}"`)),
          `an example calls ${path}`,
        )
      }
      // Any HTTP error fails the script; the separator splits the outputs per example.
      const script = [
        'set -euo pipefail',
        'curl() { command curl --fail-with-body "$@"; }',
        ...examples.map((e) => `${e}\necho '@@@'`),
      ].join('\n')
      const { stdout } = await promisify(execFile)('bash', ['-c', script], {
        env: { PATH: process.env.PATH, DDC_CRYPTO: url, TOKEN: config.tokens[0]!.token },
        timeout: 30_000,
      })
      const out = stdout
        .split('@@@\n')
        .slice(0, examples.length)
        .map((s) => JSON.parse(s))
      const [account, sealed, batch, opened, wrapped, rewrapped, health] = out
      assert.match(account.address, /^5/)
      assert.deepEqual(sealed.pub, { ctx: { lang: 'en' } })
      assert.deepEqual(sealed.scopes.profile.epoch, 1)
      assert.equal(batch.length, 2)
      assert.deepEqual(opened, {
        data: { email: 'bob@example.com', page: '/pricing', ctx: { os: 'linux', lang: 'en' } },
        opened: ['activity', 'profile'],
        locked: [],
      })
      assert.equal(wrapped.grantor, account.address)
      assert.equal(wrapped.grantee, CHARLIE)
      assert.equal(wrapped.scope, 'activity')
      assert.deepEqual(
        { ...rewrapped, kid: undefined },
        {
          grantor: account.address,
          grantee: CHARLIE,
          owner: BOB,
          scope: 'profile',
          epoch: 1,
          kid: undefined,
        },
      )
      assert.equal(health.status, 'ok')
    } finally {
      await app.close()
      rmSync(dir, { recursive: true })
    }
  })
})
