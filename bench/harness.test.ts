import assert from 'node:assert/strict'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { runJsonChild, Unavailable } from './child.js'
import { defaults } from './options.js'
import { clusterMeasures, nodeMeasures } from './scenarios/external.js'
import { peersInstalled } from './scenarios/peers.js'
import { runSuite } from './suite.js'

describe('bench harness (tiny sizes, no timing assertions)', () => {
  const out = mkdtempSync(join(tmpdir(), 'ddc-bench-smoke-'))
  after(() => rmSync(out, { recursive: true, force: true }))

  it('runs the DDC, ceiling and peer scenarios and writes a table, JSON and an SVG chart', async (t) => {
    const o = { ...defaults('tiny', out), only: ['latency', 'state', 'ceiling', 'hypercore', 'orbitdb'] }
    const report = await runSuite(o, 'smoke')
    const row = (id: string) => report.rows.find((r) => r.id === id)
    for (const id of [
      'latency.p50',
      'latency.p99',
      'tail.1k',
      'tail.long',
      'read.decrypt',
      'storage.bytes',
      'storage.rss',
    ])
      assert.ok((row(id)?.values.ddc ?? 0) > 0, `DDC figure for ${id}`)
    for (const id of ['ingest.sr25519', 'ingest.ed25519', 'ingest.batch', 'read.decrypt'])
      assert.ok((row(id)?.values.ceiling ?? 0) > 0, `ceiling figure for ${id}`)
    for (const peer of ['hypercore', 'orbitdb']) {
      const r = report.results.find((x) => x.scenario === peer)!
      if (peersInstalled()) assert.ok(r.measures.length > 0, `${peer}: ${r.unavailable}`)
      else {
        assert.match(r.unavailable ?? '', /bench\/peers is not installed/)
        t.diagnostic(`${peer} skipped: ${r.unavailable}`)
      }
    }
    assert.match(report.text, /\| measure \| unit \| DDC \|/)
    assert.match(report.text, /Machine: .+cores.+Node v\d+/)
    assert.match(report.text, /DDC vs target/)
    const json = JSON.parse(readFileSync(report.files.json, 'utf8')) as { machine: { cores: number }; rows: unknown[] }
    assert.ok(json.machine.cores > 0)
    assert.equal(json.rows.length, report.rows.length)
    const svg = readFileSync(report.files.chart, 'utf8')
    assert.match(svg, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/)
    assert.match(svg, /<rect [^>]*fill="#2563eb"/)
    assert.ok(existsSync(report.files.table))
  })

  it('reports a child benchmark that cannot run as unavailable, with the reason', async () => {
    await assert.rejects(
      runJsonChild({ script: 'bench/no-such-benchmark.ts', timeoutMs: 5000 }),
      (err) => err instanceof Unavailable && /does not exist/.test(err.message),
    )
  })

  it("reads the node and cluster benchmarks' JSON figures into table rows", () => {
    const mode = (eventsPerSec: number) => ({ eventsPerSec, events: 1000, eventsPerRequest: 500, p50Ms: 9, p99Ms: 30 })
    const node = nodeMeasures({
      modes: { sr25519: mode(4100), ed25519: mode(8200), batch: mode(26000) },
      readVerify: { eventsPerSec: 30000, events: 100000 },
    })
    assert.deepEqual(
      node.map((m) => [m.row, m.value]),
      [
        ['ingest.sr25519', 4100],
        ['ingest.ed25519', 8200],
        ['ingest.batch', 26000],
        ['read.verify', 30000],
      ],
    )
    const cluster = clusterMeasures({ modes: { sr25519: mode(1600) }, replicationFactor: 3, writeQuorum: 2 })
    assert.deepEqual(
      cluster.map((m) => [m.row, m.value]),
      [['cluster.per-event', 1600]],
    )
    assert.throws(() => nodeMeasures({}), Unavailable)
  })
})
