/**
 * Block production for the single authority: at each tick, the transactions accepted since the last
 * block (already applied to the pending state) are sealed into the next block, written to disk in one
 * fsynced batch, and only then become the committed state and the new best block. Ticks never
 * overlap; an empty tick still makes a block, so time and finality advance.
 */
import type { LocalSigner } from '@ddc/core'
import { extrinsicsRoot, type StoredBlock, type StoredTx, sealBlock } from './ledger/block.js'
import type { StateStore } from './ledger/state.js'
import type { ChainStore } from './persistence.js'
import type { AcceptedTx } from './transactions.js'

export interface BlockProducerDeps {
  state: StateStore
  store: ChainStore
  authority: LocalSigner
  /** Current best block. */
  best(): StoredBlock
  /** Hands over (and forgets) the transactions accepted for the next block. */
  takePending(): AcceptedTx[]
  /** Called once the block is on disk and committed. */
  onBlock(block: StoredBlock, txs: StoredTx[]): void
  /** Called when a block could not be written: the chain must stop. */
  onFailure(err: unknown): void
}

export class BlockProducer {
  readonly #deps: BlockProducerDeps
  #timer: ReturnType<typeof setTimeout> | undefined
  #running: Promise<StoredBlock> | undefined
  #sealing: number | undefined
  #stopped = false

  constructor(deps: BlockProducerDeps) {
    this.#deps = deps
  }

  /** Number of the block that transactions accepted now will land in. */
  get nextNumber(): number {
    return (this.#sealing ?? this.#deps.best().header.number) + 1
  }

  start(intervalMs: number): void {
    if (intervalMs <= 0) return
    const tick = () => {
      if (this.#stopped) return
      this.produce()
        .catch(() => {})
        .finally(() => {
          if (!this.#stopped) this.#timer = setTimeout(tick, intervalMs)
        })
    }
    this.#timer = setTimeout(tick, intervalMs)
  }

  /** Produces one block now (waits for one in progress first). */
  async produce(): Promise<StoredBlock> {
    while (this.#running) await this.#running.catch(() => {})
    this.#running = this.#produce()
    try {
      return await this.#running
    } finally {
      this.#running = undefined
    }
  }

  async stop(): Promise<void> {
    this.#stopped = true
    clearTimeout(this.#timer)
    await this.#running?.catch(() => {})
  }

  async #produce(): Promise<StoredBlock> {
    const { state, store, authority } = this.#deps
    const parent = this.#deps.best()
    const number = parent.header.number + 1
    // Take the pending transactions and seal their state in the same synchronous step, so that
    // anything accepted from here on belongs to the following block.
    const accepted = this.#deps.takePending()
    const { root, changes } = state.seal()
    this.#sealing = number
    try {
      const hashes = accepted.map((a) => a.tx.hash)
      const header = {
        number,
        parentHash: parent.hash,
        stateRoot: root,
        extrinsicsRoot: extrinsicsRoot(hashes),
        timestamp: Math.max(Date.now(), parent.header.timestamp + 1),
        author: authority.accountId,
      }
      const events = accepted.flatMap((a) => a.events)
      const block = sealBlock(header, hashes, events, authority)
      const txs: StoredTx[] = accepted.map((a, index) => ({
        hash: a.tx.hash,
        bytes: a.tx.bytes,
        block: number,
        index,
        fee: a.fee,
        events: a.events,
      }))
      await store.writeBlock(block, txs, changes)
      state.commitSeal(root)
      this.#sealing = undefined
      this.#deps.onBlock(block, txs)
      return block
    } catch (err) {
      this.#stopped = true
      this.#deps.onFailure(err)
      throw err
    }
  }
}
