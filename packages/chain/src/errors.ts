/**
 * Why a chain refused a transaction or a request. One class per failure with a stable code, all
 * registered with core so that `errorFromJson` revives them on the client side of the dev chain's
 * HTTP API. The dev chain also answers core errors (ERR_BAD_SIGNATURE, ERR_INVALID_INPUT,
 * ERR_NON_CANONICAL, ERR_NOT_FOUND) where they fit. `CHAIN_ERROR_STATUS` is the HTTP status a server
 * should answer for each code.
 */
import { DdcError, type DdcErrorOptions, registerErrorClass } from '@ddc/core'

/** The transaction's nonce is not the sender's next nonce (replayed, or out of order). */
export class BadNonceError extends DdcError {
  override readonly code = 'ERR_BAD_NONCE'
}

/** The sender cannot pay the fee, the amount, or the deposit asked for. */
export class InsufficientBalanceError extends DdcError {
  override readonly code = 'ERR_INSUFFICIENT_BALANCE'
}

/** The signer does not own (or manage, or operate) what the transaction changes. */
export class NotOwnerError extends DdcError {
  override readonly code = 'ERR_NOT_OWNER'
}

/** A transaction names a bucket the chain does not know. */
export class UnknownBucketError extends DdcError {
  override readonly code = 'ERR_UNKNOWN_BUCKET'
}

/** A transaction names a cluster the chain does not know. */
export class UnknownClusterError extends DdcError {
  override readonly code = 'ERR_UNKNOWN_CLUSTER'
}

/** A transaction names a storage node the chain does not know. */
export class UnknownNodeError extends DdcError {
  override readonly code = 'ERR_UNKNOWN_NODE'
}

/** A call this chain does not have. */
export class UnknownCallError extends DdcError {
  override readonly code = 'ERR_UNKNOWN_CALL'
}

/** The transaction's validity window (era) has passed. */
export class TxExpiredError extends DdcError {
  override readonly code = 'ERR_TX_EXPIRED'
}

/** The transaction was signed for another chain (genesis hash differs). */
export class WrongChainError extends DdcError {
  override readonly code = 'ERR_WRONG_CHAIN'
}

/** Something with that id or CID is already on chain (bucket, node, anchor root, remark CID). */
export class AlreadyExistsError extends DdcError {
  override readonly code = 'ERR_ALREADY_EXISTS'
}

/** The period was already paid out: its usage can no longer change. */
export class PeriodClosedError extends DdcError {
  override readonly code = 'ERR_PERIOD_CLOSED'
}

/** The chain (or this adapter on it) does not offer the operation. */
export class NotSupportedError extends DdcError {
  override readonly code = 'ERR_NOT_SUPPORTED'
}

/** The transaction was included but its dispatch failed (Substrate `ExtrinsicFailed`). */
export class TxFailedError extends DdcError {
  override readonly code = 'ERR_TX_FAILED'
}

/** A transaction was asked of a Chain that has no signer. */
export class NoSignerError extends DdcError {
  override readonly code = 'ERR_NO_SIGNER'
}

type ErrorClass = new (message: string, options?: DdcErrorOptions) => DdcError

const CLASSES: [ErrorClass, number][] = [
  [BadNonceError, 409],
  [InsufficientBalanceError, 402],
  [NotOwnerError, 403],
  [UnknownBucketError, 404],
  [UnknownClusterError, 404],
  [UnknownNodeError, 404],
  [UnknownCallError, 400],
  [TxExpiredError, 400],
  [WrongChainError, 400],
  [AlreadyExistsError, 409],
  [PeriodClosedError, 409],
  [NotSupportedError, 501],
  [TxFailedError, 422],
  [NoSignerError, 400],
]

for (const [C] of CLASSES) registerErrorClass(C)

/** HTTP status per chain error code (servers pass these to `registerStatus`). */
export const CHAIN_ERROR_STATUS: Readonly<Record<string, number>> = Object.fromEntries(
  CLASSES.map(([C, status]) => [new C('').code, status]),
)
