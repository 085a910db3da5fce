/**
 * Handing keys out: `/v1/keys/wrap` signs a grant (by the service account) that wraps a bucket or
 * user scope key the service holds or derives for a grantee's X25519 key; `/v1/keys/rewrap` opens a
 * grant addressed to the service and hands the same key on to another grantee as a new grant, never
 * expiring later than the grant it came from. Keys leave only wrapped, and only inside signed grants.
 */
import { bytesEqual, InvalidInputError, toAccountId, toAddress, toHex } from '@ddc/core'
import { createGrant, decodeGrant, type Grant, grantToJson, openGrant, type Signed } from '@ddc/crypto'
import { errorResponses, type Service } from '@ddc/service'
import { Type } from '@sinclair/typebox'
import { ForbiddenError } from '../errors.js'
import { Address, Bucket, Epoch, EX, Grantee, ref, Scope, SECURITY, SignedGrant, SignedIn } from '../schemas.js'
import { grantee, signedIn, signedOut } from '../wire.js'
import type { RouteContext } from './context.js'

const Exp = Type.Integer({ minimum: 0, description: 'grant expiry, ms since the Unix epoch' })

export function keyRoutes(app: Service, ctx: RouteContext): void {
  const out = (g: Signed<Grant>) => signedOut(g, (r) => grantToJson(r, ctx.ss58Prefix))

  function checkExp(exp: number): void {
    const now = Date.now()
    if (exp <= now) throw new InvalidInputError(`exp ${exp} is not in the future (now ${now})`)
    if (exp > now + ctx.maxGrantTtlMs)
      throw new InvalidInputError(`exp may be at most ${ctx.maxGrantTtlMs} ms from now on this service`, {
        details: { maxGrantTtlMs: ctx.maxGrantTtlMs },
      })
  }

  app.post(
    '/v1/keys/wrap',
    {
      schema: {
        tags: ['keys'],
        summary: 'Grant a scope key to a grantee: a signed grant wrapping the key for its X25519 key',
        description:
          "Without `owner`, the bucket scope key (every user of the bucket, one scope, one epoch); with `owner`, that one user's scope key. `epoch` defaults to the scope's current epoch. The grant is signed by the service account (see /v1/account).",
        security: SECURITY,
        body: Type.Object(
          {
            bucket: Bucket,
            scope: Scope,
            epoch: Type.Optional(Epoch),
            owner: Type.Optional(Address),
            grantee: Grantee,
            exp: Exp,
          },
          {
            additionalProperties: false,
            examples: [
              {
                bucket: 'demo-app',
                scope: 'activity',
                grantee: { account: EX.charlie, x25519: EX.charlieX25519 },
                exp: 1893456000000,
              },
            ],
          },
        ),
        response: { 200: ref(SignedGrant), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (req) => {
      const b = req.body
      ctx.guard.require(req, 'wrap', b.bucket)
      const bucket = ctx.keys.bucket(b.bucket)
      const to = grantee(b.grantee)
      checkExp(b.exp)
      const owner = b.owner === undefined ? undefined : toAccountId(b.owner)
      const key = bucket.grantKey({ scope: b.scope, epoch: b.epoch, owner })
      return out(await createGrant({ signer: ctx.account.signer, grantee: to, key, exp: b.exp }))
    },
  )

  app.post(
    '/v1/keys/rewrap',
    {
      schema: {
        tags: ['keys'],
        summary: 'Hand on a key granted to this service: open the grant, re-wrap the key for another grantee',
        description:
          "`grant` must be addressed to the service account, signed by its grantor and unexpired. The new grant is signed by the service, names the same key, and may not expire after the source grant. The caller's token needs `wrap` on the grant's bucket.",
        security: SECURITY,
        body: Type.Object(
          { grant: SignedIn, grantee: Grantee, exp: Exp },
          {
            additionalProperties: false,
            examples: [
              {
                grant: { bytes: 'q2F2AWNleHAb…', seal: { scheme: 'sr25519', sig: '0x…', n: 1, i: 0, path: [] } },
                grantee: { account: EX.charlie, x25519: EX.charlieX25519 },
                exp: 1893456000000,
              },
            ],
          },
        ),
        response: { 200: ref(SignedGrant), ...errorResponses(400, 401, 403) },
      },
    },
    async (req) => {
      const b = req.body
      const source = signedIn(b.grant, 'grant')
      const g = decodeGrant(source.bytes)
      ctx.guard.require(req, 'wrap', g.bucket)
      const self = ctx.account.signer
      if (!bytesEqual(g.grantee, self.accountId)) {
        throw new InvalidInputError(
          `grant is addressed to ${toAddress(g.grantee, ctx.ss58Prefix)}, not to this service (${self.address}); see /v1/account`,
        )
      }
      if (ctx.trustedGrantors && !ctx.trustedGrantors.has(toHex(g.grantor)))
        throw new ForbiddenError(`grants from ${toAddress(g.grantor, ctx.ss58Prefix)} are not re-wrapped here`)
      const to = grantee(b.grantee)
      const key = await openGrant(source, ctx.account.keyPair) // grantor's seal, expiry, kid
      try {
        checkExp(b.exp)
        if (b.exp > g.exp)
          throw new InvalidInputError(`exp may not be later than the source grant's exp (${g.exp})`, {
            details: { sourceExp: g.exp },
          })
        return out(await createGrant({ signer: self, grantee: to, key, exp: b.exp }))
      } finally {
        key.key.fill(0)
      }
    },
  )
}
