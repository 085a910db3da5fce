/**
 * Reading a Substrate chain's blocks the way the `Chain` interface describes them, and finding the DDC
 * records (anchors, CID remarks with their payments) in them. A record counts only if its extrinsic
 * succeeded (System.ExtrinsicSuccess, no BatchInterrupted).
 */
import { NotFoundError, toAccountId } from '@ddc/core'
import type { ApiPromise } from '@polkadot/api'
import type { EventRecord, SignedBlock } from '@polkadot/types/interfaces'
import type { AnchorRecord, BlockInfo, RemarkRecord, SubscribeOptions } from '../chain.js'
import { createFeed } from '../feed.js'
import { ddcRecordsInCall } from './calls.js'
import { toChainEvents } from './submit.js'

export interface ReadBlock {
  info: BlockInfo
  block: SignedBlock
  records: EventRecord[]
}

export async function blockHashOf(api: ApiPromise, id: number | string): Promise<string> {
  if (typeof id === 'string' && id.startsWith('0x')) return id
  const n = Number(id)
  if (!Number.isSafeInteger(n) || n < 0) throw new NotFoundError(`block ${id} is not a number or hash`)
  const hash = await api.rpc.chain.getBlockHash(n)
  if (hash.isEmpty) throw new NotFoundError(`block ${n} is not on this chain (yet)`)
  return hash.toHex()
}

export async function readBlock(api: ApiPromise, id: number | string): Promise<ReadBlock> {
  const hash = await blockHashOf(api, id)
  const [block, records] = await Promise.all([
    api.rpc.chain.getBlock(hash),
    api.at(hash).then((at) => at.query.system!.events!() as unknown as Promise<EventRecord[]>),
  ])
  const { header, extrinsics } = block.block
  const setTime = extrinsics.find((ex) => ex.method.section === 'timestamp' && ex.method.method === 'set')
  const info: BlockInfo = {
    number: header.number.toNumber(),
    hash,
    parentHash: header.parentHash.toHex(),
    stateRoot: header.stateRoot.toHex(),
    extrinsicsRoot: header.extrinsicsRoot.toHex(),
    timestamp: setTime ? Number(setTime.method.args[0]!.toString()) : 0,
    txHashes: extrinsics.map((ex) => ex.hash.toHex()),
    events: toChainEvents(records),
  }
  return { info, block, records: [...records] }
}

export async function finalizedNumber(api: ApiPromise): Promise<number> {
  const hash = await api.rpc.chain.getFinalizedHead()
  return (await api.rpc.chain.getHeader(hash)).number.toNumber()
}

/** DDC records in a block; `finalizedUpTo` is the finalized head's number. */
export function ddcRecordsInBlock(
  b: ReadBlock,
  finalizedUpTo: number,
): { anchors: AnchorRecord[]; remarks: RemarkRecord[] } {
  const anchors: AnchorRecord[] = []
  const remarks: RemarkRecord[] = []
  const { number, hash, timestamp } = b.info
  b.block.block.extrinsics.forEach((ex, index) => {
    if (!ex.isSigned) return
    const own = b.records.filter(({ phase }) => phase.isApplyExtrinsic && phase.asApplyExtrinsic.toNumber() === index)
    const ok = own.some(({ event }) => event.section === 'system' && event.method === 'ExtrinsicSuccess')
    const interrupted = own.some(({ event }) => event.section === 'utility' && event.method === 'BatchInterrupted')
    if (!ok || interrupted) return
    const signer = toAccountId(ex.signer.toString())
    const base = { txHash: ex.hash.toHex(), block: { number, hash }, finalized: number <= finalizedUpTo, timestamp }
    for (const found of ddcRecordsInCall(ex.method)) {
      if (found.remark.type === 'anchor') {
        const { root, count, period } = found.remark.anchor
        anchors.push({ ...base, root, count, ...(period === undefined ? {} : { period }), submitter: signer })
      } else {
        const r: RemarkRecord = { ...base, cid: found.remark.cid, sender: signer }
        if (found.transfer) r.transfer = { from: signer, ...found.transfer }
        remarks.push(r)
      }
    }
  })
  return { anchors, remarks }
}

/** Finalized blocks in order from `from` (or the next one), filling the gaps between notifications. */
export async function* finalizedBlocks(api: ApiPromise, opts: SubscribeOptions = {}): AsyncGenerator<ReadBlock> {
  let unsub: (() => void) | undefined
  const heads = createFeed<number>({ signal: opts.signal, onClose: () => unsub?.() })
  unsub = await api.rpc.chain.subscribeFinalizedHeads((h) => heads.push(h.number.toNumber()))
  if (heads.closed) unsub()
  let next = opts.from
  try {
    for await (const n of heads) {
      // Without `from`, start after the head that was finalized when we subscribed.
      if (next === undefined) {
        next = n + 1
        continue
      }
      while (next <= n && !heads.closed) {
        yield await readBlock(api, next)
        next++
      }
    }
  } finally {
    heads.end()
  }
}
