/**
 * Errors this service adds to core's set. Registered with core so a client's `errorFromJson` revives
 * them as the same class, and with the service kit so the status is 403 wherever the kit maps codes.
 */
import { DdcError, registerErrorClass } from '@ddc/core'
import { registerStatus } from '@ddc/service'

/** An authenticated caller whose token does not cover the bucket or the operation it asked for. */
export class ForbiddenError extends DdcError {
  override readonly code = 'ERR_FORBIDDEN'
}

registerErrorClass(ForbiddenError)
registerStatus('ERR_FORBIDDEN', 403)
