/**
 * Event types the SDK itself writes. They are never encrypted: nodes read tombstones, and anyone the
 * bucket lets read may audit grant records (a grant's key is sealed for its grantee anyway).
 */
import { TOMBSTONE_TYPE } from '@ddc/core'

/** A signed grant kept in DDC: `pub` = { grant (wire form), grantee, scope, exp, epoch, owner? }. */
export const GRANT_TYPE = 'ddc/grant'
/** Withdraws a grant record: `pub` = { grant: CID of the grant record }. */
export const REVOKE_TYPE = 'ddc/grant-revoke'

const CLEAR = new Set([TOMBSTONE_TYPE, GRANT_TYPE, REVOKE_TYPE])

export const isClearType = (type: string) => CLEAR.has(type)
