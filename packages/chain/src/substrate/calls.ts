/**
 * The calls DDC sends to any FRAME chain, and the way back: the DDC records inside a decoded call.
 *
 *   anchor                 system.remarkWithEvent("ddc:anchor:v1:<root>:<count>[:<period>]")
 *   event CID              system.remarkWithEvent("ddc:cid:v1:<cid>")
 *   event CID + payment    utility.batchAll([remarkWithEvent(…), balances.transferKeepAlive(to, amount)])
 *
 * Builders work on any polkadot-js call-builder tree: `api.tx` online, or the `tx` of metadata
 * decorated offline (tests), so the exact calls the adapter sends are the ones the tests sign.
 */
import { type CID, toAddress } from '@ddc/core'
import type { AnchorInput } from '../chain.js'
import { type DdcRemark, formatAnchorRemark, formatCidRemark, tryParseRemark } from '../remark.js'

// biome-ignore lint/suspicious/noExplicitAny: polkadot-js call builders take loosely typed arguments
type Builder<C> = (...args: any[]) => C

export interface CallModules<C> {
  system: { remarkWithEvent: Builder<C> }
  utility: { batchAll: Builder<C> }
  balances: { transferKeepAlive: Builder<C> }
}

export function anchorCall<C>(tx: CallModules<C>, anchor: AnchorInput): C {
  return tx.system.remarkWithEvent(formatAnchorRemark(anchor))
}

export function cidRemarkCall<C>(tx: CallModules<C>, cid: CID, transfer?: { to: Uint8Array; amount: bigint }): C {
  const remark = tx.system.remarkWithEvent(formatCidRemark(cid))
  if (!transfer) return remark
  // batchAll is atomic: the remark and the payment land together or not at all.
  return tx.utility.batchAll([remark, tx.balances.transferKeepAlive(toAddress(transfer.to), transfer.amount)])
}

/** A decoded call as polkadot-js presents it (extrinsic.method, or an item of a batch). */
export interface CallLike {
  section: string
  method: string
  args: readonly unknown[]
}

export interface FoundRecord {
  remark: DdcRemark
  /** The payment in the same atomic batch (only for a CID remark in a batchAll with one transfer). */
  transfer?: { to: Uint8Array; amount: bigint }
}

const REMARKS = new Set(['remark', 'remarkWithEvent'])
const BATCHES = new Set(['batch', 'batchAll', 'forceBatch'])
const TRANSFERS = new Set(['transferKeepAlive', 'transferAllowDeath', 'transfer'])

/** DDC remarks in a call (top level or inside a utility batch), with the payment batched with them. */
export function ddcRecordsInCall(call: CallLike): FoundRecord[] {
  const atomic = call.section === 'utility' && call.method === 'batchAll'
  const calls = call.section === 'utility' && BATCHES.has(call.method) ? [...(call.args[0] as CallLike[])] : [call]
  const remarks: DdcRemark[] = []
  const transfers: { to: Uint8Array; amount: bigint }[] = []
  for (const c of calls) {
    if (c.section === 'system' && REMARKS.has(c.method)) {
      const parsed = tryParseRemark((c.args[0] as unknown as { toU8a(bare: boolean): Uint8Array }).toU8a(true))
      if (parsed) remarks.push(parsed)
    } else if (c.section === 'balances' && TRANSFERS.has(c.method)) {
      // dest is a MultiAddress enum on current runtimes, a bare AccountId on old ones.
      const dest = c.args[0] as unknown as { type?: unknown; value?: { toU8a(): Uint8Array }; toU8a(): Uint8Array }
      const to = typeof dest.type === 'string' ? (dest.type === 'Id' ? dest.value!.toU8a() : undefined) : dest.toU8a()
      const amount = (c.args[1] as unknown as { toBigInt(): bigint }).toBigInt()
      if (to?.length === 32) transfers.push({ to, amount })
    }
  }
  return remarks.map((remark) =>
    atomic && remark.type === 'cid' && remarks.length === 1 && transfers.length === 1
      ? { remark, transfer: transfers[0]! }
      : { remark },
  )
}
