/**
 * SDK errors. Failures that came from a node or service are the same typed core errors the server
 * threw (revived from `{code, message, details}`), with `details.node`, `details.method` and
 * `details.url` added, so a caller can tell which node and which request failed. The SDK's own
 * failures have their own stable codes below.
 */
import { DdcError, registerErrorClass, UnavailableError } from '@ddc/core'

/** Every replica of a timeline (or every node asked) failed; `details.attempts` lists each failure. */
export class AllReplicasFailedError extends UnavailableError {}

/** Compare-and-set kept failing after the bounded number of rebases. */
export class RebaseExhaustedError extends DdcError {
  override readonly code = 'ERR_REBASE_EXHAUSTED'
}
registerErrorClass(RebaseExhaustedError)

/** The capture queue was closed before an event could be sent. */
export class QueueClosedError extends DdcError {
  override readonly code = 'ERR_QUEUE_CLOSED'
}
registerErrorClass(QueueClosedError)

/** The client was configured without something this operation needs (CLS URL, encryption, …). */
export class NotConfiguredError extends DdcError {
  override readonly code = 'ERR_NOT_CONFIGURED'
}
registerErrorClass(NotConfiguredError)

/** True for failures worth trying on another replica: network errors, timeouts, 5xx, ERR_UNAVAILABLE. */
export function isRetryable(err: unknown): boolean {
  if (!(err instanceof DdcError)) return false
  if (err.code === 'ERR_UNAVAILABLE') return true
  const status = err.details?.status
  return typeof status === 'number' && status >= 500
}
