/**
 * The data-operation fee model. Usage is reported per bucket, per node, per period: bytes stored,
 * bytes read, requests. Its price (chain parameters) is charged to the bucket owner's deposit and
 * paid to the node's provider, less the treasury's share. Everything is integer arithmetic in the
 * token's smallest unit, and each line balances exactly:
 *
 *   charged = toProvider + toTreasury,   due = charged + shortfall
 *
 * An owner whose deposit is short is charged what is left; the rest is recorded as shortfall.
 */
import type { ChainParams } from './model.js'

export const MB = 1_000_000n
/** treasuryShare is in parts per million. */
export const PPM = 1_000_000n

export interface Usage {
  storedBytes: number
  readBytes: number
  requests: number
}

export function priceOf(usage: Usage, pricing: ChainParams['pricing']): bigint {
  return (
    (BigInt(usage.storedBytes) * pricing.perMbStored) / MB +
    (BigInt(usage.readBytes) * pricing.perMbRead) / MB +
    BigInt(usage.requests) * pricing.perRequest
  )
}

export interface Settlement {
  charged: bigint
  shortfall: bigint
  toProvider: bigint
  toTreasury: bigint
}

export function settle(due: bigint, deposit: bigint, treasuryShare: number): Settlement {
  const charged = due < deposit ? due : deposit
  const toTreasury = (charged * BigInt(treasuryShare)) / PPM
  return { charged, shortfall: due - charged, toProvider: charged - toTreasury, toTreasury }
}
