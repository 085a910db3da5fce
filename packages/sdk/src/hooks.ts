/**
 * Pipeline hooks (DESIGN.md "SDK"): apps enrich, filter, redact or mirror data at each step without
 * forking the SDK. Hooks run in registration order; each may change what it is handed.
 */
import type { CID, Envelope } from '@ddc/core'
import type { ReadEvent } from './decrypt.js'

export interface EventInput {
  type: string
  data: Record<string, unknown>
  /** Event id (default: a random one). */
  id?: string
  /** Client timestamp in ms (default: now). */
  ts?: number
}

export interface AppendContext {
  bucket: string
  owner: Uint8Array
}

export interface AppendedEvent {
  cid: CID
  seq: number
  id: string
  type: string
}

export interface Hooks {
  /** Before a scope split and encryption: return the event to store, or null to drop it. */
  beforeEncrypt?: (event: EventInput, ctx: AppendContext) => EventInput | null | Promise<EventInput | null>
  /** After linking, before the one signature: the envelopes about to be signed (read-only view). */
  beforeSign?: (envelopes: readonly Envelope[], ctx: AppendContext) => void | Promise<void>
  /** After the node acknowledged the batch (e.g. mirror it elsewhere). */
  afterAppend?: (events: readonly AppendedEvent[], ctx: AppendContext) => void | Promise<void>
  /** After verification and decryption of each event read: return it (changed or not), or null to hide it. */
  afterRead?: (event: ReadEvent) => ReadEvent | null | Promise<ReadEvent | null>
}

export class HookChain {
  readonly #hooks: Hooks[] = []

  use(hooks: Hooks): () => void {
    this.#hooks.push(hooks)
    return () => {
      const k = this.#hooks.indexOf(hooks)
      if (k >= 0) this.#hooks.splice(k, 1)
    }
  }

  async beforeEncrypt(event: EventInput, ctx: AppendContext): Promise<EventInput | null> {
    let e: EventInput | null = event
    for (const h of this.#hooks) {
      if (e === null) return null
      if (h.beforeEncrypt) e = await h.beforeEncrypt(e, ctx)
    }
    return e
  }

  async beforeSign(envelopes: readonly Envelope[], ctx: AppendContext): Promise<void> {
    for (const h of this.#hooks) if (h.beforeSign) await h.beforeSign(envelopes, ctx)
  }

  async afterAppend(events: readonly AppendedEvent[], ctx: AppendContext): Promise<void> {
    for (const h of this.#hooks) if (h.afterAppend) await h.afterAppend(events, ctx)
  }

  async afterRead(event: ReadEvent): Promise<ReadEvent | null> {
    let e: ReadEvent | null = event
    for (const h of this.#hooks) {
      if (e === null) return null
      if (h.afterRead) e = await h.afterRead(e)
    }
    return e
  }
}
