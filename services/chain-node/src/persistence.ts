/**
 * The dev chain on disk, in LevelDB. Each block is written as one atomic batch with fsync: the block,
 * its transactions, the hash → number index, the state entries it changed and the new head. So the
 * state in the database is always exactly the state after the head block (a snapshot kept current
 * block by block), and a crash leaves either the whole block or none of it.
 *
 *   b/<number, 12 digits>  block          h/<hash hex>  number
 *   t/<tx hash hex>        transaction    s/<state key> value
 *   m/head                 head number
 */
import { mkdirSync } from 'node:fs'
import { decodeCanonical, encodeCanonical, toHex } from '@ddc/core'
import { ClassicLevel } from 'classic-level'
import type { StoredBlock, StoredTx } from './ledger/block.js'
import { storedTxFromDisk } from './ledger/block.js'
import type { StateChange } from './ledger/state.js'

const MAX_VALUE = 64 * 1024 * 1024
const blockKey = (n: number) => `b/${String(n).padStart(12, '0')}`
const decode = <T>(v: Uint8Array): T => decodeCanonical<T>(v, MAX_VALUE)

export class ChainStore {
  readonly #db: ClassicLevel<string, Uint8Array>

  private constructor(db: ClassicLevel<string, Uint8Array>) {
    this.#db = db
  }

  static async open(dir: string): Promise<ChainStore> {
    mkdirSync(dir, { recursive: true })
    const db = new ClassicLevel<string, Uint8Array>(dir, { keyEncoding: 'utf8', valueEncoding: 'view' })
    await db.open()
    return new ChainStore(db)
  }

  async head(): Promise<number | undefined> {
    const v = await this.#db.get('m/head')
    return v === undefined ? undefined : decode<number>(v)
  }

  async *stateEntries(): AsyncGenerator<[string, unknown]> {
    for await (const [k, v] of this.#db.iterator({ gte: 's/', lt: 's0' })) yield [k.slice(2), decode(v)]
  }

  async block(n: number): Promise<StoredBlock | undefined> {
    const v = await this.#db.get(blockKey(n))
    return v === undefined ? undefined : decode<StoredBlock>(v)
  }

  async blockNumber(hash: string): Promise<number | undefined> {
    const v = await this.#db.get(`h/${hash}`)
    return v === undefined ? undefined : decode<number>(v)
  }

  async tx(hash: string): Promise<StoredTx | undefined> {
    const v = await this.#db.get(`t/${hash}`)
    return v === undefined ? undefined : storedTxFromDisk(decode<StoredTx>(v))
  }

  /** One atomic, fsynced batch per block. */
  async writeBlock(block: StoredBlock, txs: StoredTx[], changes: StateChange[]): Promise<void> {
    const ops: ({ type: 'put'; key: string; value: Uint8Array } | { type: 'del'; key: string })[] = [
      { type: 'put', key: blockKey(block.header.number), value: encodeCanonical(block) },
      { type: 'put', key: `h/${toHex(block.hash)}`, value: encodeCanonical(block.header.number) },
      { type: 'put', key: 'm/head', value: encodeCanonical(block.header.number) },
    ]
    for (const tx of txs) ops.push({ type: 'put', key: `t/${tx.hash}`, value: encodeCanonical(tx) })
    for (const c of changes) {
      ops.push(
        'deleted' in c
          ? { type: 'del', key: `s/${c.key}` }
          : { type: 'put', key: `s/${c.key}`, value: encodeCanonical(c.value) },
      )
    }
    await this.#db.batch(ops, { sync: true })
  }

  async close(): Promise<void> {
    await this.#db.close()
  }
}
