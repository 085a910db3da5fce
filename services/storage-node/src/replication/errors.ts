/** Failures of the replicated write path, each with a stable code (HTTP status registered here). */
import { DdcError, registerErrorClass } from '@ddc/core'
import { registerStatus } from '@ddc/service'

/** Fewer replicas than the write quorum hold the append durably (or are reachable to try). */
export class QuorumError extends DdcError {
  override readonly code = 'ERR_QUORUM'
}
registerErrorClass(QuorumError)
registerStatus('ERR_QUORUM', 503)

/** A replica already holds another envelope at this seq: both are kept as evidence (GET /forks). */
export class ForkError extends DdcError {
  override readonly code = 'ERR_FORK'
}
registerErrorClass(ForkError)
registerStatus('ERR_FORK', 409)
