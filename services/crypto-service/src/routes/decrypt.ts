/**
 * Opening: an app sends an envelope (its JSON view, or just the fields decryption reads) and its body
 * block, and gets back what the keys held here open — `data` (pub merged with every opened scope),
 * `opened`, and `locked` with a reason per scope. The module is picked by `envelope.enc`; an unknown
 * one is ERR_UNSUPPORTED_VERSION naming the known ones.
 */
import { type EnvelopeJson, envelopeFromJson, InvalidInputError, parseCid, toAccountId, verifyBlock } from '@ddc/core'
import { decryptEvent, type SealedEvent } from '@ddc/crypto'
import { errorResponses, type Service } from '@ddc/service'
import { type Static, Type } from '@sinclair/typebox'
import { Base64, Decrypted, EX, ref, SECURITY, SealedEnvelope } from '../schemas.js'
import { fromBase64, jsonView } from '../wire.js'
import type { RouteContext } from './context.js'

/** The fields decryption reads; a full envelope (with `v`) is checked as a whole first. */
function sealedEvent(e: Static<typeof SealedEnvelope>): SealedEvent {
  if (e.v !== undefined) return envelopeFromJson(e as EnvelopeJson)
  if (e.scopes !== undefined && e.enc === undefined)
    throw new InvalidInputError('envelope.scopes needs envelope.enc, the id of the module that sealed them')
  return {
    bucket: e.bucket,
    owner: toAccountId(e.owner),
    id: e.id,
    type: e.type,
    enc: e.enc,
    scopes: e.scopes,
    pub: e.pub,
  }
}

export function decryptRoutes(app: Service, ctx: RouteContext): void {
  app.post(
    '/v1/decrypt',
    {
      schema: {
        tags: ['encryption'],
        summary: 'Open the scopes of an event that the keys held here can open',
        description:
          'When `envelope.body` (a CID) is given, `body` must hash to it (else ERR_CID_MISMATCH). A scope that does not open is listed in `locked` as `no-key` or `bad-ciphertext` (tampered, moved, or sealed under another key); it never fails the request.',
        security: SECURITY,
        body: Type.Object(
          { envelope: SealedEnvelope, body: { ...Base64, description: 'the body block' } },
          {
            additionalProperties: false,
            examples: [
              {
                envelope: {
                  bucket: 'demo-app',
                  owner: EX.bob,
                  id: 'evt-1',
                  type: 'page_view',
                  enc: 'xchacha20poly1305-blake2b-v1',
                  scopes: { activity: { epoch: 0, kid: 'user:…' } },
                  pub: { ctx: { lang: 'en' } },
                },
                body: 'oWhhY3Rpdml0eVg…',
              },
            ],
          },
        ),
        response: { 200: ref(Decrypted), ...errorResponses(400, 401, 403, 404, 413) },
      },
    },
    async (req) => {
      const { envelope, body } = req.body
      ctx.guard.require(req, 'decrypt', envelope.bucket)
      const bucket = ctx.keys.bucket(envelope.bucket)
      const event = sealedEvent(envelope)
      const bytes = fromBase64(body, 'body')
      if (envelope.body !== undefined) verifyBlock(parseCid(envelope.body), bytes)
      const out = await decryptEvent(ctx.readers, event, bytes, bucket.ring)
      return { data: jsonView(out.data) as Record<string, unknown>, opened: out.opened, locked: out.locked }
    },
  )
}
