/**
 * Admission of a signed transaction, in the order a Substrate node validates one: decode, right
 * chain, signature, era, call and arguments, nonce, fee; then the call runs. All of it happens in one
 * state journal, so a refused transaction — for any reason — changes nothing: not the nonce, not
 * the fee, not the state root.
 *
 * Fees: base + perByte × size goes to the treasury, the tip to the block author.
 */

import { BadNonceError, InsufficientBalanceError, TxExpiredError, UnknownCallError, WrongChainError } from '@ddc/chain'
import { decodeTx, MAX_ERA, type SignedTx, verifyTxSignature } from '@ddc/chain/dev'
import { bytesEqual, InvalidInputError, toAddress, toHex } from '@ddc/core'
import type { StoredEvent } from './ledger/block.js'
import { callHandler } from './ledger/calls/index.js'
import { type ChainParams, readAccount, writeAccount } from './ledger/model.js'
import type { StateStore } from './ledger/state.js'

export interface AcceptedTx {
  tx: SignedTx
  fee: bigint
  events: StoredEvent[]
  /** Block the transaction goes into. */
  block: number
}

export interface AdmissionEnv {
  state: StateStore
  params: ChainParams
  genesisHash: Uint8Array
  /** Number of the block that will hold transactions accepted now. */
  nextBlock: number
}

export function feeOf(params: ChainParams, size: number, tip: bigint): bigint {
  return params.fees.base + params.fees.perByte * BigInt(size) + tip
}

export function admitTransaction(env: AdmissionEnv, bytes: Uint8Array): AcceptedTx {
  const { state, params } = env
  const tx = decodeTx(bytes)
  const { payload } = tx
  if (!bytesEqual(payload.chain, env.genesisHash)) {
    throw new WrongChainError(`transaction is for chain ${toHex(payload.chain)}, this is ${toHex(env.genesisHash)}`)
  }
  verifyTxSignature(tx)
  if (payload.validUntil < env.nextBlock) {
    throw new TxExpiredError(
      `transaction was valid until block ${payload.validUntil}; the next block is ${env.nextBlock}`,
    )
  }
  if (payload.validUntil > env.nextBlock + MAX_ERA) {
    throw new InvalidInputError(`validUntil may reach at most ${MAX_ERA} blocks ahead`)
  }
  const handler = callHandler(payload.call)
  if (!handler) throw new UnknownCallError(`this chain has no call ${JSON.stringify(payload.call)}`)
  const args = handler.parse(payload.args)
  const sender = payload.signer
  const fee = feeOf(params, bytes.length, payload.tip)
  const events: StoredEvent[] = []
  state.atomically(() => {
    const acct = readAccount(state, sender)
    if (payload.nonce !== acct.nonce) {
      throw new BadNonceError(`nonce ${payload.nonce} is not the sender's next nonce ${acct.nonce}`, {
        details: { expected: acct.nonce },
      })
    }
    if (acct.free < fee) {
      throw new InsufficientBalanceError(`fee ${fee} exceeds the sender's free balance ${acct.free}`, {
        details: { free: acct.free.toString(), fee: fee.toString() },
      })
    }
    writeAccount(state, sender, { ...acct, free: acct.free - fee, nonce: acct.nonce + 1 })
    credit(state, params.treasury, fee - payload.tip)
    if (payload.tip > 0n) credit(state, params.authority, payload.tip)
    const emit = (name: string, data: Record<string, unknown>) => events.push({ tx: tx.hash, name, data })
    emit('system.FeePaid', { who: toAddress(sender, params.ss58Prefix), fee: fee.toString() })
    handler.apply({ state, params, sender, txHash: tx.hash, block: env.nextBlock, emit }, args)
  })
  return { tx, fee, events, block: env.nextBlock }
}

function credit(state: StateStore, who: Uint8Array, amount: bigint): void {
  const a = readAccount(state, who)
  writeAccount(state, who, { ...a, free: a.free + amount })
}
