/**
 * ReplayProvider: a polkadot-js `ProviderInterface` that lets `ApiPromise.create({provider})` and the
 * adapter's submit path run with no node and no network. It answers the node-description calls with
 * recorded responses of a Substrate node — metadata, runtime version and RPC method list as recorded in
 * @polkadot/types-support — and plays a single-authority node for everything after: each submitted
 * extrinsic is validated and executed by ReplayRuntime and sealed into its own block, which is
 * reported in block, then finalized, over the `author_submitAndWatchExtrinsic` subscription.
 *
 * Test support: it proves that what the adapter builds, signs, submits and reads back is well formed
 * for real metadata; it does not prove a live node accepts it (README: "What is not verified live").
 */

import type {
  ProviderInterface,
  ProviderInterfaceCallback,
  ProviderInterfaceEmitCb,
} from '@polkadot/rpc-provider/types'
import { Metadata, TypeRegistry } from '@polkadot/types'
import type { Header } from '@polkadot/types/interfaces'
import { expandMetadata } from '@polkadot/types/metadata'
import staticMetadata, {
  rpc as staticRpc,
  version as staticVersion,
} from '@polkadot/types-support/metadata/static-substrate'
import { compactAddLength, compactStripLength, hexToU8a, u8aConcat, u8aToHex } from '@polkadot/util'
import { blake2AsHex } from '@polkadot/util-crypto'
import { ReplayRuntime } from './replay-runtime.js'

export interface ReplayProviderInit {
  /** Recorded `state_getMetadata` answer (default: a Substrate node's, from @polkadot/types-support). */
  metadata?: `0x${string}`
  runtimeVersion?: { specVersion: number; transactionVersion: number }
  rpcMethods?: { methods: string[] }
  chain?: string
  properties?: { ss58Format: number; tokenDecimals: number; tokenSymbol: string }
  /** Free balances at genesis (SS58 → amount). */
  balances?: Record<string, bigint>
}

interface SimBlock {
  header: Header
  hash: string
  extrinsics: string[]
  events: string
}

type Sub = { method: string; cb: ProviderInterfaceCallback }

/** The simulated node behind every connection (clone) of one ReplayProvider. */
interface ReplayNode {
  init: ReplayProviderInit
  registry: TypeRegistry
  runtime: ReplayRuntime
  decorated: ReturnType<typeof expandMetadata>
  blocks: SimBlock[]
  calls: string[]
  connections: Set<ReplayProvider>
}

export class ReplayProvider implements ProviderInterface {
  readonly hasSubscriptions = true
  readonly isClonable = true
  readonly #node: ReplayNode
  readonly #subs = new Map<number, Sub>()
  readonly #listeners = new Map<string, Set<ProviderInterfaceEmitCb>>()
  readonly #eventsKey: string
  #nextSub = 1
  #connected = true

  constructor(init: ReplayProviderInit = {}, node?: ReplayNode) {
    if (!node) {
      const registry = new TypeRegistry()
      const metadata = new Metadata(registry, init.metadata ?? staticMetadata)
      registry.setMetadata(metadata)
      const runtime = new ReplayRuntime(registry, metadata)
      for (const [address, amount] of Object.entries(init.balances ?? {})) runtime.balances.set(address, amount)
      const decorated = expandMetadata(registry, metadata)
      node = { init, registry, runtime, decorated, blocks: [], calls: [], connections: new Set() }
    }
    this.#node = node
    node.connections.add(this)
    this.#eventsKey = this.#storageKey(node.decorated.query.system!.events!())
    if (node.blocks.length === 0) this.#seal([], [])
  }

  get registry(): TypeRegistry {
    return this.#node.registry
  }

  get runtime(): ReplayRuntime {
    return this.#node.runtime
  }

  /** Every RPC method called on any connection, in order (what a test can assert on). */
  get calls(): string[] {
    return this.#node.calls
  }

  get isConnected(): boolean {
    return this.#connected
  }

  get best(): SimBlock {
    return this.#node.blocks[this.#node.blocks.length - 1]!
  }

  /** Another connection to the same simulated node. */
  clone(): ReplayProvider {
    return new ReplayProvider(this.#node.init, this.#node)
  }

  async connect(): Promise<void> {
    this.#connected = true
    this.#emit('connected')
  }

  async disconnect(): Promise<void> {
    this.#connected = false
    this.#subs.clear()
    this.#node.connections.delete(this)
    this.#emit('disconnected')
  }

  on(type: string, sub: ProviderInterfaceEmitCb): () => void {
    const set = this.#listeners.get(type) ?? new Set()
    set.add(sub)
    this.#listeners.set(type, set)
    return () => set.delete(sub)
  }

  #emit(type: string): void {
    for (const cb of this.#listeners.get(type) ?? []) cb()
  }

  /** Seals an empty block (time passes; finalized-head subscribers are told). */
  produceBlock(): string {
    return this.#seal([], [])
  }

  async send<T = unknown>(method: string, params: unknown[]): Promise<T> {
    this.#node.calls.push(method)
    return this.#answer(method, params) as T
  }

  async subscribe(_type: string, method: string, params: unknown[], cb: ProviderInterfaceCallback): Promise<number> {
    this.#node.calls.push(method)
    const id = this.#nextSub++
    if (method === 'author_submitAndWatchExtrinsic') {
      const hash = this.#submit(params[0] as string)
      this.#subs.set(id, { method, cb })
      const emit = (status: unknown) => setTimeout(() => this.#subs.has(id) && cb(null, status), 0)
      emit('ready')
      emit({ inBlock: hash })
      emit({ finalized: hash })
      return id
    }
    this.#subs.set(id, { method, cb })
    if (method === 'state_subscribeRuntimeVersion') setTimeout(() => cb(null, this.#version()), 0)
    if (method === 'chain_subscribeFinalizedHeads' || method === 'chain_subscribeNewHeads') {
      setTimeout(() => this.#subs.has(id) && cb(null, this.best.header.toJSON()), 0)
    }
    return id
  }

  async unsubscribe(_type: string, _method: string, id: number | string): Promise<boolean> {
    return this.#subs.delete(Number(id))
  }

  #version() {
    return this.#node.init.runtimeVersion ? { ...staticVersion, ...this.#node.init.runtimeVersion } : staticVersion
  }

  #storageKey(prefixed: Uint8Array): string {
    return u8aToHex(compactStripLength(prefixed)[1])
  }

  #block(hash: unknown): SimBlock | undefined {
    return hash === undefined || hash === null ? this.best : this.#node.blocks.find((b) => b.hash === hash)
  }

  #answer(method: string, params: unknown[]): unknown {
    switch (method) {
      case 'chain_getBlockHash': {
        const n = params[0] === undefined ? this.best.header.number.toNumber() : Number(params[0])
        return this.#node.blocks[n]?.hash ?? null
      }
      case 'chain_getFinalizedHead':
        return this.best.hash
      case 'chain_getHeader':
        return this.#block(params[0])?.header.toJSON() ?? null
      case 'chain_getBlock': {
        const b = this.#block(params[0])
        return b ? { block: { header: b.header.toJSON(), extrinsics: b.extrinsics }, justifications: null } : null
      }
      case 'state_getRuntimeVersion':
        return this.#version()
      case 'state_getMetadata':
        return this.#node.init.metadata ?? staticMetadata
      case 'rpc_methods':
        return this.#node.init.rpcMethods ?? staticRpc
      case 'system_chain':
        return this.#node.init.chain ?? 'Development'
      case 'system_properties':
        return this.#node.init.properties ?? { ss58Format: 42, tokenDecimals: 12, tokenSymbol: 'UNIT' }
      case 'system_accountNextIndex':
        return this.#node.runtime.nonces.get(String(params[0])) ?? 0
      case 'state_call':
        return this.#stateCall(String(params[0]), String(params[1]))
      case 'state_getStorage':
        return this.#storage(String(params[0]), params[1])
      case 'state_queryStorageAt': {
        const block = this.#block(params[1])
        const keys = params[0] as string[]
        return [{ block: block?.hash, changes: keys.map((k) => [k, this.#storage(k, params[1])]) }]
      }
      default:
        throw new Error(`ReplayProvider has no recorded answer for ${method}`)
    }
  }

  #stateCall(fn: string, data: string): string {
    if (fn === 'Metadata_metadata_versions') return u8aToHex(this.registry.createType('Vec<u32>', [14]).toU8a())
    if (fn === 'Metadata_metadata_at_version') {
      // Option<OpaqueMetadata>: Some, then the metadata as length-prefixed bytes.
      return u8aToHex(
        u8aConcat(new Uint8Array([1]), compactAddLength(hexToU8a(this.#node.init.metadata ?? staticMetadata))),
      )
    }
    if (fn === 'AccountNonceApi_account_nonce') {
      const who = this.registry.createType('AccountId', hexToU8a(data)).toString()
      return u8aToHex(this.registry.createType('u32', this.#node.runtime.nonces.get(who) ?? 0).toU8a())
    }
    throw new Error(`ReplayProvider has no recorded answer for state_call ${fn}`)
  }

  #storage(key: string, at: unknown): string | null {
    const block = this.#block(at)
    if (!block) return null
    if (key === this.#eventsKey) return block.events
    const accountPrefix = this.#storageKey(this.#node.decorated.query.system!.account!(new Uint8Array(32))).slice(0, 66)
    if (key.startsWith(accountPrefix)) {
      const id = hexToU8a(`0x${key.slice(-64)}`)
      const who = this.registry.createType('AccountId', id).toString()
      return this.registry
        .createType('AccountInfo', {
          nonce: this.#node.runtime.nonces.get(who) ?? 0,
          data: { free: this.#node.runtime.free(who) },
        })
        .toHex()
    }
    return null
  }

  #submit(hex: string): string {
    const ext = this.registry.createType('Extrinsic', hex)
    const signer = this.#node.runtime.admit(ext, {
      genesisHash: this.#node.blocks[0]!.hash,
      blockHashAt: (n) => this.#node.blocks[n]?.hash,
      bestNumber: this.best.header.number.toNumber(),
      specVersion: this.#version().specVersion,
      transactionVersion: this.#version().transactionVersion,
    })
    const events = this.#node.runtime.apply(ext, 1, signer)
    return this.#seal(
      [hex],
      events.map((e) => e.toU8a()),
    )
  }

  /** A new block: timestamp inherent first, then the given extrinsics, with their event records. */
  #seal(extrinsics: string[], records: Uint8Array[]): string {
    const number = this.#node.blocks.length
    const parent = this.#node.blocks[number - 1]
    const timestamp = Date.UTC(2025, 0, 1) + number * 6000
    const inherent = this.registry.createType('Extrinsic', this.#node.decorated.tx.timestamp!.set!(timestamp)).toHex()
    const all = [inherent, ...extrinsics]
    const inherentOk = this.registry.createType('EventRecord', {
      phase: { ApplyExtrinsic: 0 },
      event: this.#node.runtime.event('system', 'ExtrinsicSuccess'),
      topics: [],
    })
    const events = this.registry.createType('Vec<EventRecord>', [inherentOk, ...records]).toHex()
    const header = this.registry.createType<Header>('Header', {
      number,
      parentHash: parent?.hash ?? `0x${'00'.repeat(32)}`,
      stateRoot: blake2AsHex(`${number}:${events}`),
      extrinsicsRoot: blake2AsHex(all.join('')),
      digest: { logs: [] },
    })
    const hash = header.hash.toHex()
    this.#node.blocks.push({ header, hash, extrinsics: all, events })
    for (const conn of this.#node.connections) {
      for (const [id, sub] of conn.#subs) {
        if (sub.method === 'chain_subscribeFinalizedHeads' || sub.method === 'chain_subscribeNewHeads') {
          setTimeout(() => conn.#subs.has(id) && sub.cb(null, header.toJSON()), 0)
        }
      }
    }
    return hash
  }
}
