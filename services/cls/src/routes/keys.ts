/** The key directory over HTTP: accounts publish signed X25519 announcements; grantors look them up. */
import { NotFoundError, type SealJson, sealFromJson, sealToJson, toAddress } from '@ddc/core'
import { type Announcement, announcementToJson, type Signed } from '@ddc/crypto'
import { errorResponses, type Service } from '@ddc/service'
import { Type } from '@sinclair/typebox'
import { AccountParam, AnnouncementIn, ref, SignedAnnouncement } from '../schemas.js'
import { fromBase64, parseAccount, toBase64 } from '../wire.js'
import type { RouteContext } from './context.js'

export function keyRoutes(app: Service, ctx: RouteContext): void {
  const out = (s: Signed<Announcement>) => ({
    cid: s.cid.toString(),
    record: announcementToJson(s.record, ctx.ss58Prefix()),
    bytes: toBase64(s.bytes),
    seal: sealToJson(s.seal),
  })

  app.put(
    '/v1/keys',
    {
      schema: {
        tags: ['keys'],
        summary: "Publish an account's X25519 encryption key (a signed announcement)",
        description:
          'The body is a key announcement signed by the account it names (@ddc/crypto `createAnnouncement`; ' +
          '`{bytes, seal}`, base64 bytes and the seal JSON view). The newest `created` wins: an older one, or an ' +
          'equally old but different one, answers 409 ERR_CONFLICT; sending the stored one again changes nothing. ' +
          'A bad signature answers 400 ERR_BAD_SIGNATURE; `created` more than a few minutes ahead is refused. ' +
          'Stored with fsync before the answer.',
        body: AnnouncementIn,
        response: {
          200: Type.Object(
            {
              outcome: Type.Union([Type.Literal('replaced'), Type.Literal('unchanged')]),
              announcement: ref(SignedAnnouncement),
            },
            { description: 'replaced an older announcement, or the same one was already stored' },
          ),
          201: Type.Object(
            { outcome: Type.Literal('created'), announcement: ref(SignedAnnouncement) },
            { description: "the account's first announcement" },
          ),
          ...errorResponses(400, 409, 413),
        },
      },
    },
    async (req, reply) => {
      const bytes = fromBase64(req.body.bytes, 'bytes')
      const seal = sealFromJson(req.body.seal as SealJson)
      try {
        const { outcome, announcement } = await ctx.keys.put({ bytes, seal })
        ctx.metrics.keyAnnouncements.inc({ result: outcome })
        return reply.code(outcome === 'created' ? 201 : 200).send({ outcome, announcement: out(announcement) })
      } catch (err) {
        ctx.metrics.keyAnnouncements.inc({ result: (err as { code?: string }).code ?? 'error' })
        throw err
      }
    },
  )

  app.get(
    '/v1/keys/:address',
    {
      schema: {
        tags: ['keys'],
        summary: "An account's current X25519 key announcement, to wrap keys for it",
        description:
          'Verify it yourself before use (@ddc/crypto `verifyAnnouncement({bytes, seal})`): the account signed it, ' +
          'the CLS only relays it.',
        params: Type.Object({ address: AccountParam }),
        response: { 200: ref(SignedAnnouncement), ...errorResponses(400, 404) },
      },
    },
    async (req) => {
      const account = parseAccount(req.params.address)
      const found = await ctx.keys.get(account)
      if (!found)
        throw new NotFoundError(
          `${toAddress(account, ctx.ss58Prefix())} has announced no encryption key; it publishes one with PUT /v1/keys`,
        )
      return out(found)
    },
  )
}
