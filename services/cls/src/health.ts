/**
 * Node health: every storage node's `GET /health` is probed on an interval, with a timeout. A node is
 * marked down only after several consecutive failures (one slow answer must not reshuffle placement)
 * and up again after a run of good probes. A node never probed yet is `unknown` and counts as healthy:
 * the chain lists it as part of its cluster, and nothing says otherwise yet.
 */
import type { StorageNode } from '@ddc/chain'
import { request } from '@ddc/service'
import type { ClsMetrics } from './metrics.js'

export type HealthStatus = 'unknown' | 'up' | 'down'

export interface NodeHealth {
  status: HealthStatus
  /** When `status` last changed (ms). */
  since: number
  /** Round trip of the last good probe (ms). */
  latencyMs?: number
  /** Time of the last good probe (ms). */
  lastSeen?: number
  /** Time of the last probe, good or bad (ms). */
  lastProbe?: number
  consecutiveFailures: number
  /** Why the last failed probe failed. */
  lastError?: string
  /** The endpoint that answered the last good probe. */
  endpoint?: string
}

export interface HealthProberInit {
  intervalMs?: number
  timeoutMs?: number
  failuresBeforeDown?: number
  successesBeforeUp?: number
  metrics?: Pick<ClsMetrics, 'nodeUp' | 'probeSeconds' | 'probes'>
  /** Called when a node's status changes. */
  onChange?: (nodeId: string, health: NodeHealth) => void
  now?: () => number
}

export interface HealthProber {
  /** The node's health (`unknown` for a node not being probed). */
  health(nodeId: string): NodeHealth
  /** Health of every probed node. */
  all(): ReadonlyMap<string, NodeHealth>
  /** Probes exactly these nodes from now on (new ones start `unknown`, gone ones are forgotten). */
  sync(nodes: readonly StorageNode[]): void
  /** One round of probes, now; resolves when every probe has finished. */
  probeAll(): Promise<void>
  /** Starts probing every `intervalMs`. */
  start(): void
  close(): void
}

interface Entry {
  endpoints: string[]
  health: NodeHealth
  successes: number
}

export function createHealthProber(init: HealthProberInit = {}): HealthProber {
  const now = init.now ?? Date.now
  const intervalMs = init.intervalMs ?? 5_000
  const timeoutMs = init.timeoutMs ?? 2_000
  const failuresBeforeDown = init.failuresBeforeDown ?? 3
  const successesBeforeUp = init.successesBeforeUp ?? 1
  const m = init.metrics
  const entries = new Map<string, Entry>()
  const abort = new AbortController()
  let timer: ReturnType<typeof setTimeout> | undefined
  let round: Promise<void> | undefined
  let closed = false

  const fresh = (): NodeHealth => ({ status: 'unknown', since: now(), consecutiveFailures: 0 })

  function setStatus(id: string, e: Entry, status: HealthStatus): void {
    if (e.health.status === status) return
    e.health.status = status
    e.health.since = now()
    m?.nodeUp.set({ node: id }, status === 'up' ? 1 : 0)
    init.onChange?.(id, { ...e.health })
  }

  /** Tries the node's endpoints in order; the first that answers 2xx is a good probe. */
  async function probe(id: string, e: Entry): Promise<void> {
    let error = 'the node lists no endpoint'
    for (const endpoint of e.endpoints) {
      const t0 = performance.now()
      try {
        const res = await request(`${endpoint.replace(/\/+$/, '')}/health`, { timeoutMs, signal: abort.signal })
        await res.body?.cancel()
        if (entries.get(id) !== e) return // removed from the topology meanwhile
        const latencyMs = performance.now() - t0
        const h = e.health
        h.latencyMs = Math.round(latencyMs * 100) / 100
        h.lastSeen = h.lastProbe = now()
        h.consecutiveFailures = 0
        h.endpoint = endpoint
        delete h.lastError
        e.successes++
        m?.probes.inc({ node: id, result: 'ok' })
        m?.probeSeconds.set({ node: id }, latencyMs / 1000)
        if (h.status === 'unknown' || e.successes >= successesBeforeUp) setStatus(id, e, 'up')
        return
      } catch (err) {
        if (closed) return
        error = `${endpoint}: ${(err as Error).message}`
      }
    }
    if (entries.get(id) !== e) return
    const h = e.health
    h.lastProbe = now()
    h.consecutiveFailures++
    h.lastError = error
    e.successes = 0
    m?.probes.inc({ node: id, result: 'fail' })
    if (h.consecutiveFailures >= failuresBeforeDown) setStatus(id, e, 'down')
  }

  function probeAll(): Promise<void> {
    round ??= Promise.all([...entries].map(([id, e]) => probe(id, e))).then(() => {
      round = undefined
    })
    return round
  }

  function schedule(): void {
    if (closed) return
    timer = setTimeout(() => void probeAll().finally(schedule), intervalMs)
    timer.unref()
  }

  return {
    health: (id) => ({ ...(entries.get(id)?.health ?? fresh()) }),
    all: () => new Map([...entries].map(([id, e]) => [id, { ...e.health }])),
    sync(nodes) {
      const wanted = new Map(nodes.map((n) => [n.id, n]))
      for (const id of entries.keys()) {
        if (wanted.has(id)) continue
        entries.delete(id)
        m?.nodeUp.remove({ node: id })
        m?.probeSeconds.remove({ node: id })
      }
      for (const [id, n] of wanted) {
        const e = entries.get(id)
        if (!e) entries.set(id, { endpoints: [...n.endpoints], health: fresh(), successes: 0 })
        else if (e.endpoints.join(' ') !== n.endpoints.join(' ')) e.endpoints = [...n.endpoints]
      }
    },
    probeAll,
    start() {
      if (!timer) schedule()
    },
    close() {
      closed = true
      clearTimeout(timer)
      abort.abort()
    },
  }
}
