/**
 * The dev chain's signed transaction. The payload is canonical DAG-CBOR naming the chain (genesis
 * hash), the sender, its nonce, the call and its arguments, the tip and the last block the
 * transaction may land in. The sender signs, through any core `Signer` (keyring pair or a browser
 * wallet's `signRaw`), the domain-separated text
 *
 *   ddc:v1:tx:<CID of the payload>
 *
 * wrapped as `<Bytes>…</Bytes>` like every DDC signature (DESIGN.md "Identities and formats"), so a
 * wallet prompt shows what is signed and the signature can never be replayed as anything else.
 * The wire form is DAG-CBOR `{payload, sig}`; its sha2-256 is the transaction hash.
 */
import {
  BadSignatureError,
  type CID,
  cidOf,
  decodeCanonical,
  encodeCanonical,
  InvalidInputError,
  isSigScheme,
  type Signer,
  type SigScheme,
  toHex,
  utf8,
  verifySignature,
} from '@ddc/core'
import type { BucketSettings, NodeStatus } from '../chain.js'

/** Largest signed transaction the dev chain accepts. */
export const MAX_TX_BYTES = 64 * 1024
/** How far ahead of the best block a transaction's validity may reach (blocks). */
export const MAX_ERA = 4096

export interface UsageLine {
  bucket: string
  node: Uint8Array
  storedBytes: number
  readBytes: number
  requests: number
}

/** Every call of the dev chain with its arguments (optional keys are omitted, never undefined). */
export interface CallArgs {
  'balances.transfer': { to: Uint8Array; amount: bigint }
  'buckets.create': { cluster: string; isPublic: boolean; settings: BucketSettings }
  'buckets.update': { bucket: string; isPublic?: boolean; settings?: BucketSettings }
  'clusters.create': { id: string; replicationFactor: number }
  'clusters.addNode': { cluster: string; node: Uint8Array }
  'nodes.register': { node: Uint8Array; endpoints: string[]; status: NodeStatus }
  'nodes.update': { node: Uint8Array; endpoints?: string[]; status?: NodeStatus }
  'anchors.submit': { root: CID; count: number; period?: number }
  'remarks.submit': { cid: CID; transfer?: { to: Uint8Array; amount: bigint } }
  'deposits.add': { amount: bigint }
  'deposits.withdraw': { amount: bigint }
  'usage.report': { cluster: string; period: number; records: UsageLine[] }
  'payouts.run': { cluster: string; period: number }
}

export type CallName = keyof CallArgs
export type Call = { [K in CallName]: { call: K; args: CallArgs[K] } }[CallName]

export interface TxPayload {
  v: 1
  /** Genesis hash of the chain this transaction is for (32 bytes). */
  chain: Uint8Array
  signer: Uint8Array
  scheme: SigScheme
  nonce: number
  call: string
  args: Record<string, unknown>
  tip: bigint
  /** Last block number this transaction may be included in (its era). */
  validUntil: number
}

export interface SignedTx {
  payload: TxPayload
  sig: Uint8Array
  /** The exact wire bytes (canonical DAG-CBOR). */
  bytes: Uint8Array
  /** 0x-hex sha2-256 of `bytes`. */
  hash: string
}

export function txSigningMessage(payload: TxPayload): Uint8Array {
  return utf8(`ddc:v1:tx:${cidOf(encodeCanonical(payload))}`)
}

export function txHashOf(bytes: Uint8Array): string {
  return toHex(cidOf(bytes).multihash.digest)
}

export interface BuildTx {
  genesisHash: Uint8Array
  nonce: number
  validUntil: number
  tip?: bigint
}

/** Builds the payload for `call`, signs it with `signer` (one signRaw) and encodes the wire form. */
export async function signTx(signer: Signer, call: Call, init: BuildTx): Promise<SignedTx> {
  const payload: TxPayload = {
    v: 1,
    chain: init.genesisHash,
    signer: signer.accountId,
    scheme: signer.scheme,
    nonce: init.nonce,
    call: call.call,
    args: call.args as unknown as Record<string, unknown>,
    tip: init.tip ?? 0n,
    validUntil: init.validUntil,
  }
  const sig = await signer.signRaw(txSigningMessage(payload))
  const bytes = encodeCanonical({ payload, sig })
  return { payload, sig, bytes, hash: txHashOf(bytes) }
}

const isNat = (n: unknown): n is number => Number.isSafeInteger(n) && (n as number) >= 0

/** Decodes wire bytes into a well-formed transaction (shape only; see verifyTxSignature). */
export function decodeTx(bytes: Uint8Array): SignedTx {
  if (bytes.length > MAX_TX_BYTES) throw new InvalidInputError(`transaction larger than ${MAX_TX_BYTES} bytes`)
  const value = decodeCanonical<{ payload?: Record<string, unknown>; sig?: unknown }>(bytes, MAX_TX_BYTES)
  if (!value || typeof value !== 'object' || Object.keys(value).length !== 2) {
    throw new InvalidInputError('a transaction is {payload, sig}')
  }
  const p = value.payload
  if (!p || typeof p !== 'object') throw new InvalidInputError('transaction payload must be a map')
  const keys = Object.keys(p).sort().join(',')
  if (keys !== 'args,call,chain,nonce,scheme,signer,tip,v,validUntil') {
    throw new InvalidInputError(`transaction payload has fields {${keys}}; expected the v1 fields exactly`)
  }
  if (p.v !== 1) throw new InvalidInputError(`unsupported transaction version ${String(p.v)}`)
  if (!(p.chain instanceof Uint8Array) || p.chain.length !== 32) throw new InvalidInputError('chain must be 32 bytes')
  if (!(p.signer instanceof Uint8Array) || p.signer.length !== 32)
    throw new InvalidInputError('signer must be 32 bytes')
  if (!isSigScheme(p.scheme)) throw new BadSignatureError(`unsupported signature scheme ${String(p.scheme)}`)
  if (!isNat(p.nonce)) throw new InvalidInputError('nonce must be a non-negative integer')
  if (typeof p.call !== 'string' || p.call.length > 64) throw new InvalidInputError('call must be a short string')
  if (!p.args || typeof p.args !== 'object' || Array.isArray(p.args)) throw new InvalidInputError('args must be a map')
  if (!isNat(p.validUntil)) throw new InvalidInputError('validUntil must be a block number')
  if (!(typeof p.tip === 'bigint' || isNat(p.tip))) throw new InvalidInputError('tip must be a non-negative integer')
  if (!(value.sig instanceof Uint8Array)) throw new BadSignatureError('sig must be bytes')
  const payload: TxPayload = {
    v: 1,
    chain: p.chain,
    signer: p.signer,
    scheme: p.scheme,
    nonce: p.nonce,
    call: p.call,
    args: p.args as Record<string, unknown>,
    tip: BigInt(p.tip),
    validUntil: p.validUntil,
  }
  return { payload, sig: value.sig, bytes, hash: txHashOf(bytes) }
}

/** Throws BadSignatureError unless the payload's signer signed it. Call `cryptoReady()` first. */
export function verifyTxSignature(tx: SignedTx): void {
  const { payload, sig } = tx
  if (!verifySignature(payload.scheme, payload.signer, txSigningMessage(payload), sig)) {
    throw new BadSignatureError(`transaction ${tx.hash} is not signed by its sender (${payload.scheme})`)
  }
}
