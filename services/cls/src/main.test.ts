// The process entry and its documentation: main.ts run as a real process, and the README's settings table.
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'
import { requestJson } from '@ddc/service'
import { startNetwork, type TestNetwork } from './_fixture.js'
import { ClsConfig } from './config.js'

const MAIN = fileURLToPath(new URL('./main.ts', import.meta.url))
const README = readFileSync(new URL('../README.md', import.meta.url), 'utf8')
const snake = (k: string) => k.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase()

function run(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN], {
    env: { PATH: process.env.PATH, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  let err = ''
  child.stdout.on('data', (d) => {
    out += d
  })
  child.stderr.on('data', (d) => {
    err += d
  })
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)))
  return { child, exited, out: () => out, err: () => err }
}

describe('main.ts and README', () => {
  let net: TestNetwork
  before(async () => {
    net = await startNetwork({ nodes: 1 })
  })
  after(async () => net?.close())

  it('documents every setting with its environment variable', () => {
    for (const key of Object.keys(ClsConfig.properties)) {
      assert.match(README, new RegExp(`\\| \`${key}\` +\\| \`DDC_CLS_${snake(key)}\``), key)
    }
  })

  it('runs as a process from DDC_CLS_* variables and stops cleanly on SIGTERM', async () => {
    const p = run({
      DDC_CLS_CHAIN: net.chainUrl,
      DDC_CLS_PORT: '0',
      DDC_CLS_DATA_DIR: join(net.dir, 'main-cls'),
      DDC_CLS_ACCOUNT_URI: '//DdcCls',
    })
    try {
      const deadline = Date.now() + 15_000
      let url: string | undefined
      while (!url) {
        if (Date.now() > deadline) throw new Error(`no start line; stdout: ${p.out()} stderr: ${p.err()}`)
        const line = p
          .out()
          .split('\n')
          .find((l) => l.includes('DDC CLS running'))
        url = line && JSON.parse(line).url
        await new Promise((r) => setTimeout(r, 50))
      }
      const info = await requestJson<{ account: string; chain: { name: string } }>(`${url}/v1/info`)
      assert.equal(info.chain.name, 'DDC Dev Chain')
      assert.match(info.account, /^5/)
      const topo = await requestJson<{ clusters: { nodes: unknown[] }[] }>(`${url}/v1/topology`)
      assert.equal(topo.clusters[0]!.nodes.length, 1)
      p.child.kill('SIGTERM')
      assert.equal(await p.exited, 0)
    } finally {
      p.child.kill('SIGKILL')
    }
  })

  it('exits with 2 and names the setting when the configuration is bad', async () => {
    const p = run({ DDC_CLS_PORT: 'eighty', DDC_CLS_DATA_DIR: join(net.dir, 'bad-cls') })
    assert.equal(await p.exited, 2)
    assert.match(p.err(), /^error: config port \(DDC_CLS_PORT\)/)
  })
})
