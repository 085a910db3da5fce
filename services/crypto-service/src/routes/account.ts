/** The service account: its address and signed X25519 announcement, so grantors can wrap keys for it. */

import { toHex } from '@ddc/core'
import { announcementToJson } from '@ddc/crypto'
import { errorResponses, type Service } from '@ddc/service'
import { Account, ref, SECURITY } from '../schemas.js'
import { signedOut } from '../wire.js'
import type { RouteContext } from './context.js'

export function accountRoutes(app: Service, ctx: RouteContext): void {
  const { signer, keyPair, announcement } = ctx.account
  const body = {
    address: signer.address,
    scheme: signer.scheme,
    x25519: toHex(keyPair.publicKey),
    announcement: signedOut(announcement, (a) => announcementToJson(a, ctx.ss58Prefix)),
  }
  app.get(
    '/v1/account',
    {
      schema: {
        tags: ['account'],
        summary: 'The service account and its signed X25519 key announcement',
        description:
          'Grants the service issues are signed by this account; grants addressed to it (for /v1/keys/rewrap) are wrapped for its X25519 key. Pass `announcement` as a grantee to /v1/keys/wrap to grant the service a key.',
        security: SECURITY,
        response: { 200: ref(Account), ...errorResponses(401) },
      },
    },
    async () => body,
  )
}
