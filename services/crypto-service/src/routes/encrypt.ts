/**
 * Sealing: an app sends an event's plaintext and gets back exactly the envelope parts the SDK needs
 * (`pub?`, `enc`, `scopes`) and the body block to store under `bodyCid`, as `@ddc/crypto`'s module
 * produces them with the bucket's scope map, current epochs and keys.
 */
import { cidOf, DdcError, type DdcErrorOptions, InvalidInputError, toAccountId } from '@ddc/core'
import { errorResponses, type Service } from '@ddc/service'
import { type Static, Type } from '@sinclair/typebox'
import { EncryptedEvent, EventIn, EX, ref, SECURITY } from '../schemas.js'
import { toBase64 } from '../wire.js'
import type { RouteContext } from './context.js'

type Sealed = Static<typeof EncryptedEvent>

/** The same error, naming the batch item it came from. */
function atItem(err: unknown, i: number): unknown {
  if (!(err instanceof DdcError)) return err
  const C = err.constructor as new (message: string, options?: DdcErrorOptions) => DdcError
  return new C(`events[${i}]: ${err.message}`, { details: { ...err.details, index: i } })
}

export function encryptRoutes(app: Service, ctx: RouteContext): void {
  async function encryptOne(ev: Static<typeof EventIn>): Promise<Sealed> {
    const bucket = ctx.keys.bucket(ev.bucket)
    if (!bucket.writer) {
      throw new InvalidInputError(
        `bucket ${ev.bucket} has no scope map on this service, so it can decrypt and wrap but not encrypt; configure buckets.${ev.bucket}.scopes`,
      )
    }
    const event = { bucket: ev.bucket, owner: toAccountId(ev.owner), id: ev.id, type: ev.type, data: ev.data }
    const { body, ...parts } = await bucket.writer.encrypt(event, bucket.ring)
    return { ...parts, body: toBase64(body), bodyCid: cidOf(body).toString() }
  }

  app.post(
    '/v1/encrypt',
    {
      schema: {
        tags: ['encryption'],
        summary: "Seal one event's scopes; returns the envelope parts and the body block",
        description:
          "Splits `data` with the bucket's scope map, seals each scope under the owner's scope key at the scope's current epoch, and returns `pub?`, `enc`, `scopes` for the envelope and `body` (store it under `bodyCid`, which goes into `envelope.body`).",
        security: SECURITY,
        body: {
          ...EventIn,
          examples: [{ bucket: 'demo-app', owner: EX.bob, id: 'evt-1', type: 'page_view', data: EX.data }],
        },
        response: { 200: ref(EncryptedEvent), ...errorResponses(400, 401, 403, 404, 413) },
      },
    },
    async (req) => {
      ctx.guard.require(req, 'encrypt', req.body.bucket)
      return encryptOne(req.body)
    },
  )

  app.post(
    '/v1/encrypt/batch',
    {
      schema: {
        tags: ['encryption'],
        summary: `Seal up to ${ctx.maxBatch} events at once`,
        description:
          'Each event as in /v1/encrypt; the results come back in the same order. All or nothing: an error names the item (`details.index`).',
        security: SECURITY,
        body: Type.Object(
          { events: Type.Array(EventIn, { minItems: 1, maxItems: ctx.maxBatch }) },
          {
            additionalProperties: false,
            examples: [
              { events: [{ bucket: 'demo-app', owner: EX.bob, id: 'evt-2', type: 'page_view', data: EX.data }] },
            ],
          },
        ),
        response: {
          200: Type.Object({ events: Type.Array(ref(EncryptedEvent)) }),
          ...errorResponses(400, 401, 403, 404, 413),
        },
      },
    },
    async (req) => {
      const { events } = req.body
      for (const ev of events) ctx.guard.require(req, 'encrypt', ev.bucket)
      const out: Sealed[] = []
      for (const [i, ev] of events.entries()) {
        try {
          out.push(await encryptOne(ev))
        } catch (err) {
          throw atItem(err, i)
        }
      }
      return { events: out }
    },
  )
}
