/**
 * `createDevChain(init)`: the dev chain's engine without HTTP — state, transaction admission, block
 * production, persistence, recovery and block subscriptions. The HTTP node (`createChainNode`) and
 * tests drive it in-process. Single authority, so every block is final once written; `finalityDepth`
 * holds finality that many blocks behind the best block, for exercising code that waits on it.
 */
import { EventEmitter } from 'node:events'
import { createFeed } from '@ddc/chain'
import { bytesEqual, createAccount, cryptoReady, type LocalSigner, toHex, UnavailableError } from '@ddc/core'
import { BlockProducer } from './block-producer.js'
import { devGenesis, type GenesisConfig, genesisState } from './genesis.js'
import { type StoredBlock, type StoredTx, sealBlock, ZERO_HASH } from './ledger/block.js'
import { type ChainParams, readParams } from './ledger/model.js'
import { StateStore } from './ledger/state.js'
import { ChainStore } from './persistence.js'
import { type AcceptedTx, admitTransaction } from './transactions.js'

export interface DevChainInit {
  /** Folder for the LevelDB database. */
  dataDir: string
  /** Used only when the folder holds no chain yet (default: devGenesis()). */
  genesis?: GenesisConfig
  /** Secret URI of the block author (default //Alice); must match the chain's genesis authority. */
  authorityUri?: string
  /** Block interval (default 1000 ms); 0 produces blocks only through produceBlock(). */
  blockIntervalMs?: number
  /** Finalized = best − finalityDepth (default 0: instant finality). */
  finalityDepth?: number
}

export type TxState =
  | { status: 'pending'; accepted: AcceptedTx }
  | { status: 'inBlock' | 'finalized'; stored: StoredTx }

export interface BlockMessage {
  block: StoredBlock
  finalized: boolean
}

export interface DevChain {
  readonly genesisHash: Uint8Array
  readonly params: ChainParams
  readonly state: StateStore
  readonly blockIntervalMs: number
  readonly finalityDepth: number
  best(): StoredBlock
  finalizedNumber(): number
  /** False once a block could not be written (the chain then refuses transactions). */
  healthy(): boolean
  /** Validates and applies a signed transaction to the pending state; throws a typed refusal. */
  submit(bytes: Uint8Array): AcceptedTx
  produceBlock(): Promise<StoredBlock>
  block(id: number | string): Promise<StoredBlock | undefined>
  tx(hash: string): Promise<TxState | undefined>
  /** Resolves when the transaction is in a block (`inBlock`) or in a finalized block. */
  waitForTx(hash: string, until: 'inBlock' | 'finalized', signal?: AbortSignal): Promise<TxState | undefined>
  /** Blocks in order from `from` (catch-up from disk, then live), best or finalized. */
  blocks(opts: { stream: 'best' | 'finalized'; from?: number; signal?: AbortSignal }): AsyncIterable<BlockMessage>
  close(): Promise<void>
}

const RECENT = 256

export async function createDevChain(init: DevChainInit): Promise<DevChain> {
  await cryptoReady()
  const store = await ChainStore.open(init.dataDir)
  try {
    return await open(store, init)
  } catch (err) {
    await store.close()
    throw err
  }
}

async function open(store: ChainStore, init: DevChainInit): Promise<DevChain> {
  const authority: LocalSigner = createAccount({ uri: init.authorityUri ?? '//Alice' })
  let state: StateStore
  let best: StoredBlock
  const head = await store.head()
  if (head === undefined) {
    const config = init.genesis ?? (await devGenesis({ authorityUri: init.authorityUri }))
    const { params, entries } = genesisState(config)
    if (!bytesEqual(params.authority, authority.accountId)) {
      throw new Error(`genesis names ${config.authority} as block author; authorityUri is another key`)
    }
    state = new StateStore(entries)
    const header = {
      number: 0,
      parentHash: ZERO_HASH,
      stateRoot: state.root,
      extrinsicsRoot: ZERO_HASH,
      timestamp: config.timestamp,
      author: authority.accountId,
    }
    best = sealBlock(header, [], [], authority)
    await store.writeBlock(
      best,
      [],
      entries.map(([key, value]) => ({ key, value })),
    )
  } else {
    const entries: [string, unknown][] = []
    for await (const e of store.stateEntries()) entries.push(e)
    state = new StateStore(entries)
    const top = await store.block(head)
    if (!top) throw new Error(`chain data is damaged: head block ${head} is missing`)
    best = top
    // The state on disk must be exactly the state the head block commits to.
    if (!bytesEqual(state.recomputeRoot(), best.header.stateRoot)) {
      throw new Error(`chain data is damaged: state does not match block ${head}'s state root`)
    }
  }
  const params = readParams(state)
  if (!bytesEqual(params.authority, authority.accountId)) {
    throw new Error(`this chain's blocks are authored by ${toHex(params.authority)}; authorityUri names another key`)
  }
  const genesis = head === undefined || head === 0 ? best : (await store.block(0))!
  const finalityDepth = init.finalityDepth ?? 0
  const blockIntervalMs = init.blockIntervalMs ?? 1000
  const events = new EventEmitter().setMaxListeners(0)
  const recent = new Map<number, StoredBlock>([[best.header.number, best]])
  let pending: AcceptedTx[] = []
  const pendingByHash = new Map<string, AcceptedTx>()
  let failure: unknown
  const finalizedNumber = () => Math.max(0, best.header.number - finalityDepth)

  const block = async (id: number | string): Promise<StoredBlock | undefined> => {
    let n = typeof id === 'number' ? id : /^[0-9]+$/.test(id) ? Number(id) : await store.blockNumber(id.toLowerCase())
    if (n === undefined || n > best.header.number) return undefined
    n = Number(n)
    return recent.get(n) ?? (await store.block(n))
  }

  const producer = new BlockProducer({
    state,
    store,
    authority,
    best: () => best,
    takePending: () => {
      const taken = pending
      pending = []
      return taken
    },
    onBlock(b, txs) {
      const before = finalizedNumber()
      best = b
      recent.set(b.header.number, b)
      recent.delete(b.header.number - RECENT)
      for (const t of txs) pendingByHash.delete(t.hash)
      events.emit('best', b)
      for (let n = before + 1; n <= finalizedNumber(); n++) events.emit('finalized', recent.get(n) ?? n)
    },
    onFailure(err) {
      failure = err
    },
  })
  producer.start(blockIntervalMs)

  const tx = async (hash: string): Promise<TxState | undefined> => {
    const accepted = pendingByHash.get(hash)
    if (accepted) return { status: 'pending', accepted }
    const stored = await store.tx(hash)
    if (!stored) return undefined
    return { status: stored.block <= finalizedNumber() ? 'finalized' : 'inBlock', stored }
  }

  const chain: DevChain = {
    genesisHash: genesis.hash,
    params,
    state,
    blockIntervalMs,
    finalityDepth,
    best: () => best,
    finalizedNumber,
    healthy: () => failure === undefined,
    submit(bytes) {
      if (failure) throw new UnavailableError(`the chain stopped after a failed block write: ${String(failure)}`)
      const accepted = admitTransaction(
        { state, params, genesisHash: genesis.hash, nextBlock: producer.nextNumber },
        bytes,
      )
      pending.push(accepted)
      pendingByHash.set(accepted.tx.hash, accepted)
      return accepted
    },
    produceBlock: () => producer.produce(),
    block,
    tx,
    async waitForTx(hash, until, signal) {
      const reached = (s: TxState | undefined) =>
        s === undefined || s.status === 'finalized' || (until === 'inBlock' && s.status === 'inBlock')
      let s = await tx(hash)
      if (reached(s)) return s
      const feed = createFeed<void>({
        signal,
        onClose: () => events.off('finalized', wake).off('best', wake).off('closed', stop),
      })
      const wake = () => feed.push()
      const stop = () => feed.end()
      events.on('finalized', wake).on('best', wake).on('closed', stop)
      for await (const _ of feed) {
        s = await tx(hash)
        if (reached(s)) break
      }
      feed.end()
      return s
    },
    blocks: (opts) => blockStream(opts),
    async close() {
      await producer.stop()
      // Waiters and streams end rather than hang on a chain that will produce no more blocks.
      events.emit('closed')
      events.removeAllListeners()
      await store.close()
    },
  }

  async function* blockStream(opts: { stream: 'best' | 'finalized'; from?: number; signal?: AbortSignal }) {
    const live = createFeed<StoredBlock | number>({
      signal: opts.signal,
      onClose: () => events.off(opts.stream, push).off('closed', stop),
    })
    const push = (b: StoredBlock | number) => live.push(b)
    const stop = () => live.end()
    events.on(opts.stream, push).on('closed', stop)
    const top = () => (opts.stream === 'best' ? best.header.number : finalizedNumber())
    const finalized = opts.stream === 'finalized'
    let next = opts.from ?? top() + 1
    try {
      // Catch up from disk, then follow live blocks, filling any gap so no block is skipped.
      while (next <= top() && !live.closed) {
        yield { block: (await block(next))!, finalized: finalized || next <= finalizedNumber() }
        next++
      }
      for await (const item of live) {
        const n = typeof item === 'number' ? item : item.header.number
        while (next <= n) {
          const b = next === n && typeof item !== 'number' ? item : (await block(next))!
          yield { block: b, finalized: finalized || next <= finalizedNumber() }
          next++
        }
      }
    } finally {
      live.end()
    }
  }

  return chain
}
