/**
 * Corrupted blocks. Every block read is checked against its CID (store/level-blocks.ts, timeline.ts);
 * when a check fails, this node fetches the block from a healthy replica, verifies it against the same
 * CID and rewrites its own copy. Reads by CID (getBlock/getBlocks, and the single-event lookups
 * `locate`/`eventAt`) are repaired before they answer, so the reader gets verified data; a page read
 * that meets a corrupted block answers ERR_UNAVAILABLE (the SDK moves to another replica) and the
 * block is repaired before that answer leaves, so the next read here is whole again.
 */
import { CID, UnavailableError, verifyBlock } from '@ddc/core'
import type { StoredEvent, TimelineStore } from '../store/types.js'
import type { ReplicationDeps } from './deps.js'

const CORRUPT = /stored block (\S+) is corrupt/

/** The CID a "stored block … is corrupt" error names, if `err` is one. */
export function corruptBlockOf(err: unknown): CID | undefined {
  if ((err as { code?: string }).code !== 'ERR_UNAVAILABLE') return undefined
  const m = CORRUPT.exec((err as Error).message)
  try {
    return m ? CID.parse(m[1]!) : undefined
  } catch {
    return undefined
  }
}

export class BlockRepair {
  readonly #deps: ReplicationDeps
  readonly #inflight = new Map<string, Promise<boolean>>()

  constructor(deps: ReplicationDeps) {
    this.#deps = deps
  }

  /** Fetches `cid` from the replicas in turn, verifies it and rewrites the local copy; true when repaired. */
  repair(cid: CID): Promise<boolean> {
    const key = cid.toString()
    let p = this.#inflight.get(key)
    if (!p) {
      p = this.#repair(cid).finally(() => this.#inflight.delete(key))
      this.#inflight.set(key, p)
    }
    return p
  }

  async #repair(cid: CID): Promise<boolean> {
    const d = this.#deps
    const cluster = await d.topology.current()
    for (const peer of cluster.nodes) {
      if (peer.id === d.topology.selfId || !d.health.isUp(peer.id)) continue
      try {
        const bytes = await d.client.block(peer, cid)
        if (!bytes) continue
        verifyBlock(cid, bytes)
        if (!(await d.ingest.store.rewriteBlock(cid, bytes))) return false
        d.metrics.blocksRepaired.inc()
        d.log({ cid: key(cid), peer: peer.id }, 'corrupted block repaired from a replica')
        return true
      } catch (err) {
        d.log({ cid: key(cid), peer: peer.id, err: (err as Error).message }, 'block repair attempt failed')
      }
    }
    return false
  }

  /**
   * The store as routes see it: the same store, whose reads by CID repair corrupted blocks and try
   * once more. (A Proxy, so every other method — and the engine's private state — is untouched.)
   */
  wrap(store: TimelineStore): TimelineStore {
    const retry = async <T>(read: () => Promise<T>, check?: (v: T) => CID | undefined): Promise<T> => {
      let cid: CID | undefined
      try {
        const v = await read()
        cid = check?.(v)
        if (!cid) return v
      } catch (err) {
        cid = corruptBlockOf(err)
        if (!cid) throw err
      }
      if (!(await this.repair(cid)))
        throw new UnavailableError(`stored block ${cid} is corrupt and no replica could supply it; try another node`)
      return read()
    }
    // The envelope an event lookup hands over is checked here, where it can still be repaired.
    const badEnvelope = (e: StoredEvent | undefined) => {
      if (!e?.env) return undefined
      try {
        verifyBlock(e.cid, e.env)
        return undefined
      } catch {
        return e.cid
      }
    }
    const overrides: Partial<TimelineStore> = {
      getBlock: (cid) => retry(() => store.getBlock(cid)),
      getBlocks: (cids) => retry(() => store.getBlocks(cids)),
      eventAt: (ref, seq) => retry(() => store.eventAt(ref, seq), badEnvelope),
      locate: (cid) =>
        retry(
          () => store.locate(cid),
          (l) => badEnvelope(l?.event),
        ),
    }
    return new Proxy(store, {
      get(target, prop) {
        const own = overrides[prop as keyof TimelineStore]
        if (own) return own
        const v = Reflect.get(target, prop, target)
        return typeof v === 'function' ? v.bind(target) : v
      },
    })
  }
}

const key = (cid: CID) => cid.toString()
