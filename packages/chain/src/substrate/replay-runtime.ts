/**
 * The runtime behind ReplayProvider: it checks a submitted extrinsic the way a node's transaction pool
 * does (signature over the real signing payload, nonce, ability to pay the fee), then executes the few
 * calls DDC sends — system.remark(WithEvent), balances.transfer*, utility.batch(All) — and encodes the
 * events a FRAME runtime would deposit, with the real metadata's pallet, event and error indices.
 * Anything else succeeds with no effect. Test support, not a runtime.
 */
import type { Metadata, TypeRegistry } from '@polkadot/types'
import type { EventRecord, Extrinsic } from '@polkadot/types/interfaces'
import { stringCamelCase, u8aConcat, u8aToHex } from '@polkadot/util'
import { blake2AsU8a, signatureVerify } from '@polkadot/util-crypto'
import type { CallLike } from './calls.js'

export const SIMULATED_FEE = 1_000_000_000n
const EXISTENTIAL = 1_000_000_000n

interface Variant {
  pallet: number
  index: number
  types: string[]
}

/** A pool refusal, worded as a Substrate node words JSON-RPC error 1010. */
export class PoolRefusal extends Error {}

class DispatchFailure extends Error {
  constructor(
    readonly section: string,
    readonly error: string,
  ) {
    super(`${section}.${error}`)
  }
}

export interface SigningContext {
  genesisHash: string
  blockHashAt(n: number): string | undefined
  bestNumber: number
  specVersion: number
  transactionVersion: number
}

export class ReplayRuntime {
  readonly balances = new Map<string, bigint>()
  readonly nonces = new Map<string, number>()
  readonly #registry: TypeRegistry
  readonly #metadata: Metadata

  constructor(registry: TypeRegistry, metadata: Metadata) {
    this.#registry = registry
    this.#metadata = metadata
  }

  #variant(section: string, kind: 'events' | 'errors', name: string): Variant {
    const pallet = this.#metadata.asLatest.pallets.find((p) => stringCamelCase(p.name) === section)
    const list = pallet?.[kind]
    if (!pallet || !list || list.isNone) throw new Error(`metadata has no ${section} ${kind}`)
    const si = this.#registry.lookup.getSiType(list.unwrap().type)
    const v = si.def.asVariant.variants.find((x) => x.name.toString() === name)
    if (!v) throw new Error(`metadata has no ${section}.${name}`)
    return {
      pallet: pallet.index.toNumber(),
      index: v.index.toNumber(),
      types: v.fields.map((f) => this.#registry.createLookupType(f.type)),
    }
  }

  event(section: string, name: string, values: unknown[] = []): Uint8Array {
    const v = this.#variant(section, 'events', name)
    const fields = v.types.map((t, i) => this.#registry.createType(t, values[i]).toU8a())
    return u8aConcat(new Uint8Array([v.pallet, v.index]), ...fields)
  }

  moduleError(section: string, name: string): unknown {
    const v = this.#variant(section, 'errors', name)
    return { Module: { index: v.pallet, error: u8aToHex(new Uint8Array([v.index, 0, 0, 0])) } }
  }

  free = (who: string): bigint => this.balances.get(who) ?? 0n

  /** Pool validation: throws PoolRefusal; on success charges the fee and bumps the nonce. */
  admit(ext: Extrinsic, ctx: SigningContext): string {
    if (!ext.isSigned) throw new PoolRefusal('1010: Invalid Transaction: unsigned transactions are not accepted here')
    const signer = ext.signer.toString()
    const era = ext.era
    const birth = era.isMortalEra ? era.asMortalEra.birth(ctx.bestNumber) : 0
    const blockHash = era.isMortalEra ? ctx.blockHashAt(birth) : ctx.genesisHash
    if (!blockHash) throw new PoolRefusal('1010: Invalid Transaction: Transaction has an ancient birth block')
    const payload = this.#registry.createType(
      'ExtrinsicPayload',
      {
        method: ext.method.toHex(),
        era,
        nonce: ext.nonce,
        tip: ext.tip,
        specVersion: ctx.specVersion,
        transactionVersion: ctx.transactionVersion,
        genesisHash: ctx.genesisHash,
        blockHash,
      },
      { version: ext.type },
    )
    let message = payload.toU8a({ method: true })
    if (message.length > 256) message = blake2AsU8a(message)
    if (!signatureVerify(message, ext.signature.toU8a(), signer).isValid) {
      throw new PoolRefusal('1010: Invalid Transaction: Transaction has a bad signature')
    }
    const nonce = this.nonces.get(signer) ?? 0
    if (ext.nonce.toNumber() < nonce) throw new PoolRefusal('1010: Invalid Transaction: Transaction is outdated')
    if (ext.nonce.toNumber() > nonce)
      throw new PoolRefusal('1010: Invalid Transaction: Transaction will be valid in the future')
    const fee = SIMULATED_FEE + ext.tip.toBigInt()
    if (this.free(signer) < fee) {
      throw new PoolRefusal('1010: Invalid Transaction: Inability to pay some fees (e.g. account balance too low)')
    }
    this.balances.set(signer, this.free(signer) - fee)
    this.nonces.set(signer, nonce + 1)
    return signer
  }

  /** Dispatches the call; answers the EventRecords of extrinsic `index` (success or failure). */
  apply(ext: Extrinsic, index: number, signer: string): EventRecord[] {
    const events: Uint8Array[] = []
    const snapshot = new Map(this.balances)
    try {
      this.#dispatch(ext.method, signer, events)
      events.push(
        this.event('transactionPayment', 'TransactionFeePaid', [signer, SIMULATED_FEE + ext.tip.toBigInt(), ext.tip]),
      )
      events.push(this.event('system', 'ExtrinsicSuccess'))
    } catch (err) {
      if (!(err instanceof DispatchFailure)) throw err
      // A failed dispatch rolls back the call's effects; the fee stays paid.
      this.balances.clear()
      for (const [k, v] of snapshot) this.balances.set(k, v)
      events.length = 0
      events.push(this.event('system', 'ExtrinsicFailed', [this.moduleError(err.section, err.error)]))
    }
    return events.map((event) =>
      this.#registry.createType('EventRecord', { phase: { ApplyExtrinsic: index }, event, topics: [] }),
    )
  }

  #dispatch(call: CallLike, signer: string, events: Uint8Array[]): void {
    const { section, method } = call
    if (section === 'system' && (method === 'remark' || method === 'remarkWithEvent')) {
      if (method === 'remarkWithEvent') {
        events.push(
          this.event('system', 'Remarked', [
            signer,
            blake2AsU8a((call.args[0] as { toU8a(bare: boolean): Uint8Array }).toU8a(true)),
          ]),
        )
      }
    } else if (section === 'balances' && method.startsWith('transfer')) {
      const to = (call.args[0] as unknown as { value: { toString(): string } }).value.toString()
      const amount = (call.args[1] as unknown as { toBigInt(): bigint }).toBigInt()
      if (this.free(signer) < amount + (method === 'transferKeepAlive' ? EXISTENTIAL : 0n)) {
        throw new DispatchFailure('balances', 'InsufficientBalance')
      }
      this.balances.set(signer, this.free(signer) - amount)
      this.balances.set(to, this.free(to) + amount)
      events.push(this.event('balances', 'Transfer', [signer, to, amount]))
    } else if (section === 'utility' && (method === 'batchAll' || method === 'batch')) {
      const calls = call.args[0] as CallLike[]
      for (const [i, inner] of calls.entries()) {
        try {
          this.#dispatch(inner, signer, events)
          events.push(this.event('utility', 'ItemCompleted'))
        } catch (err) {
          if (method === 'batchAll' || !(err instanceof DispatchFailure)) throw err
          events.push(this.event('utility', 'BatchInterrupted', [i, this.moduleError(err.section, err.error)]))
          return
        }
      }
      events.push(this.event('utility', 'BatchCompleted'))
    }
  }
}
