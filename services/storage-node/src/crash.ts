/**
 * Crash-safety drill (crash.test.ts, scripts/crash-soak.ts): a storage node runs as a child process
 * while several clients append over HTTP; the node is killed with SIGKILL at a random moment, its
 * data directory is checked in full (every block against its CID, every timeline's links and head),
 * then it restarts and every append it acknowledged must still be there. Appends in flight at the
 * kill may or may not have landed; clients re-sync from the head the node reports.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { CID, createAccount, cryptoReady, type Head, type LocalSigner } from '@ddc/core'
import { buildEvents, cborAppend } from './fixtures.js'
import { type SpawnedNode, spawnStorageNode } from './spawn.js'
import { openLevelStore } from './store/level.js'

export interface CrashDrillInit {
  cycles: number
  /** Clients appending concurrently, one timeline each. */
  clients?: number
  /** How long load runs before the kill: [min, max] ms. */
  killAfterMs?: [number, number]
  verifyWorkers?: number
  log?: (line: string) => void
}

export interface CrashDrillReport {
  cycles: number
  acknowledged: number
  lost: number
  checkErrors: string[]
}

interface Client {
  signer: LocalSigner
  head: Head | null
  /** CID and seq of every event the node acknowledged. */
  acked: Map<string, number>
}

const BUCKET = 'crash'

async function headOf(url: string, c: Client): Promise<Head | null> {
  const res = await fetch(`${url}/buckets/${BUCKET}/timelines/${c.signer.address}`)
  const j = (await res.json()) as { head: { seq: number; cid: string } | null }
  return j.head ? { seq: j.head.seq, cid: CID.parse(j.head.cid) } : null
}

/** Every envelope CID of a client's timeline, by seq (read through the seq index, page by page). */
async function storedCids(url: string, c: Client): Promise<string[]> {
  const out: string[] = []
  let cursor = ''
  for (;;) {
    const res = await fetch(
      `${url}/buckets/${BUCKET}/timelines/${c.signer.address}/events?limit=1000&body=false${cursor && `&cursor=${cursor}`}`,
    )
    const page = (await res.json()) as { events: { seq: number; cid: string }[]; next?: string }
    for (const e of page.events) out[e.seq] = e.cid
    if (!page.next) return out
    cursor = page.next
  }
}

async function appendLoop(url: string, c: Client, stop: { now: boolean }): Promise<void> {
  let n = 0
  while (!stop.now) {
    const evs = await buildEvents(c.signer, { bucket: BUCKET, head: c.head, count: 1 + (n++ % 7) })
    try {
      const res = await fetch(`${url}/events`, {
        method: 'POST',
        headers: { 'content-type': 'application/vnd.ipld.dag-cbor' },
        body: Buffer.from(cborAppend(evs)),
      })
      if (res.status !== 200) throw new Error(`append answered ${res.status}: ${await res.text()}`)
      await res.arrayBuffer()
      for (const e of evs) c.acked.set(e.cid.toString(), e.envelope.seq)
      const last = evs[evs.length - 1]!
      c.head = { seq: last.envelope.seq, cid: last.cid }
    } catch (err) {
      if (stop.now) return // the node was killed under us: outcome unknown, re-sync after restart
      throw err
    }
  }
}

export async function runCrashDrill(init: CrashDrillInit): Promise<CrashDrillReport> {
  await cryptoReady()
  const log = init.log ?? (() => {})
  const dir = mkdtempSync(join(tmpdir(), 'ddc-crash-'))
  const owner = createAccount({ uri: '//CrashOwner' })
  const clients: Client[] = Array.from({ length: init.clients ?? 4 }, (_, k) => ({
    signer: createAccount({ uri: `//Crash//${k}`, scheme: 'ed25519' }),
    head: null,
    acked: new Map(),
  }))
  const [lo, hi] = init.killAfterMs ?? [300, 900]
  const report: CrashDrillReport = { cycles: 0, acknowledged: 0, lost: 0, checkErrors: [] }
  let node: SpawnedNode | undefined
  const start = () =>
    spawnStorageNode({
      dataDir: dir,
      buckets: [{ id: BUCKET, owner: owner.accountId, isPublic: true }],
      verifyWorkers: init.verifyWorkers ?? 0,
    })
  try {
    node = await start()
    for (let cycle = 0; cycle < init.cycles; cycle++) {
      const stop = { now: false }
      const loops = clients.map((c) => appendLoop(node!.url, c, stop))
      await new Promise((r) => setTimeout(r, lo + Math.random() * (hi - lo)))
      stop.now = true
      await node.stop('SIGKILL')
      await Promise.all(loops)

      const t0 = performance.now()
      const store = await openLevelStore({ dir })
      const check = await store.check()
      await store.close()
      report.checkErrors.push(...check.errors.map((e) => `cycle ${cycle}: ${e}`))

      node = await start()
      for (const c of clients) {
        const head = await headOf(node.url, c)
        const stored = await storedCids(node.url, c)
        for (const [cid, seq] of c.acked) if (stored[seq] !== cid) report.lost++
        c.head = head
      }
      report.cycles++
      report.acknowledged = clients.reduce((n, c) => n + c.acked.size, 0)
      log(
        `cycle ${cycle + 1}: ${report.acknowledged} acknowledged events, ${report.lost} lost, ` +
          `${check.events} on disk (checked in ${Math.round(performance.now() - t0)} ms)`,
      )
    }
    return report
  } finally {
    await node?.stop('SIGKILL')
    rmSync(dir, { recursive: true, force: true })
  }
}
