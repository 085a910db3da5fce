/**
 * Grants kept in DDC (DESIGN.md "Keys and scoped encryption": grants are signed records stored in
 * DDC). `recordGrant` appends a signed grant to the grantor's own timeline of the bucket (in the clear:
 * its key is sealed for the grantee), so the grantee can fetch it there and the grantor can list and
 * revoke what it handed out. Revoking records the withdrawal; data already shared stays readable with
 * the old key, so raise the scope's epoch in the encryption module (`standardModule({ epochs })`) to put
 * new data out of its reach.
 */
import { type CID, parseCid, toAccountId, toAddress } from '@ddc/core'
import type { Grant, Signed } from '@ddc/crypto'
import { appendBatch } from './append.js'
import type { Context } from './context.js'
import type { AppendedEvent } from './hooks.js'
import { checkedEvents } from './read.js'
import { toWire, type WireSigned } from './share.js'
import { GRANT_TYPE, REVOKE_TYPE } from './system-events.js'

export interface GrantRecord {
  /** CID of the grant record event (what `revokeGrant` names). */
  cid: string
  grantee: string
  scope: string
  /** Timeline owner for a one-user grant; absent for the whole bucket. */
  owner?: string
  epoch: number
  exp: number
  revoked: boolean
  /** The signed grant, for `openGrant`. */
  grant: WireSigned
}

export interface ListGrantsOptions {
  /** Whose records (default: this client's account). */
  grantor?: string | Uint8Array
  /** Only grants to this account. */
  grantee?: string | Uint8Array
  signal?: AbortSignal
}

export async function recordGrant(ctx: Context, grant: Signed<Grant>, signal?: AbortSignal): Promise<AppendedEvent> {
  const g = grant.record
  const pub = {
    grant: toWire(grant),
    grantee: toAddress(g.grantee),
    scope: g.scope,
    epoch: g.epoch,
    exp: g.exp,
    ...(g.owner ? { owner: toAddress(g.owner) } : {}),
  }
  const [r] = await appendBatch(ctx, g.bucket, [{ type: GRANT_TYPE, data: pub }], signal ? { signal } : {})
  return r!
}

export async function listGrants(ctx: Context, bucket: string, opts: ListGrantsOptions = {}): Promise<GrantRecord[]> {
  const grantor = opts.grantor === undefined ? ctx.owner : toAccountId(opts.grantor)
  const grantee = opts.grantee === undefined ? undefined : toAddress(toAccountId(opts.grantee))
  const signal = opts.signal ? { signal: opts.signal } : {}
  const revoked = new Set<string>()
  for await (const ev of checkedEvents(ctx, bucket, grantor, { type: REVOKE_TYPE, pageSize: 1000, ...signal }))
    revoked.add(String((ev.envelope.pub as { grant?: unknown } | undefined)?.grant))
  const out: GrantRecord[] = []
  for await (const ev of checkedEvents(ctx, bucket, grantor, { type: GRANT_TYPE, pageSize: 1000, ...signal })) {
    const p = ev.envelope.pub as Omit<GrantRecord, 'cid' | 'revoked'>
    if (grantee !== undefined && p.grantee !== grantee) continue
    const cid = ev.cid.toString()
    out.push({ ...p, cid, revoked: revoked.has(cid) })
  }
  return out
}

export async function revokeGrant(
  ctx: Context,
  bucket: string,
  record: CID | string,
  signal?: AbortSignal,
): Promise<AppendedEvent> {
  const [r] = await appendBatch(ctx, bucket, [{ type: REVOKE_TYPE, data: { grant: parseCid(record).toString() } }], {
    ...(signal ? { signal } : {}),
  })
  return r!
}
