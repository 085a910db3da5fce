/**
 * Which peers are up, as this node sees them: each peer's /health is probed on an interval, and a
 * peer that fails a replication call is marked down at once (so writes stop waiting on it) until a
 * probe answers again. Peers never probed yet count as up: the first call finds out.
 */
import type { NodeTopology, PeerNode } from './topology.js'

export interface PeerHealth {
  isUp(id: string): boolean
  markDown(id: string): void
  /** Probes every peer now (also run on the interval). */
  probe(): Promise<void>
  close(): void
}

export function createPeerHealth(init: {
  topology: NodeTopology
  intervalMs: number
  timeoutMs?: number
  onChange?: (peer: PeerNode, up: boolean) => void
}): PeerHealth {
  const down = new Set<string>()
  let closed = false
  const set = (peer: PeerNode, up: boolean) => {
    if (up === !down.has(peer.id)) return
    if (up) down.delete(peer.id)
    else down.add(peer.id)
    init.onChange?.(peer, up)
  }

  const slow = new Map<string, number>()
  async function probeOne(peer: PeerNode): Promise<void> {
    try {
      const res = await fetch(`${peer.url}/health`, { signal: AbortSignal.timeout(init.timeoutMs ?? 3000) })
      await res.arrayBuffer()
      slow.delete(peer.id)
      set(peer, res.ok)
    } catch (err) {
      // A refused connection is a node that is gone; a slow answer is a busy node, until it happens again.
      const misses = (slow.get(peer.id) ?? 0) + 1
      slow.set(peer.id, misses)
      if (isRefused(err) || misses >= 3) set(peer, false)
    }
  }

  async function probe(): Promise<void> {
    let cluster: Awaited<ReturnType<NodeTopology['current']>>
    try {
      cluster = await init.topology.current()
    } catch {
      return // no topology yet: nothing to probe
    }
    await Promise.all(cluster.nodes.filter((n) => n.id !== init.topology.selfId).map(probeOne))
  }

  const timer = setInterval(() => {
    if (!closed) void probe()
  }, init.intervalMs)
  timer.unref()

  return {
    isUp: (id) => id === init.topology.selfId || !down.has(id),
    markDown(id) {
      if (id !== init.topology.selfId) down.add(id)
    },
    probe,
    close() {
      closed = true
      clearInterval(timer)
    },
  }
}

/** True when `err` (or one of its causes) is a refused or reset connection: nobody listens there. */
export function isRefused(err: unknown): boolean {
  for (let e = err as { code?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 5; depth++) {
    if (typeof e.code === 'string' && /^(ECONNREFUSED|ECONNRESET|EPIPE|UND_ERR_SOCKET)$/.test(e.code)) return true
    e = e.cause as typeof e
  }
  return false
}
