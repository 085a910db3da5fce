/** Chain information and head: what a client needs before signing (genesis hash, fees, best block). */
import { toAddress, toHex } from '@ddc/core'
import { errorResponses, type Service } from '@ddc/service'
import { Type } from '@sinclair/typebox'
import type { RouteContext } from './context.js'

export function chainRoutes(app: Service, { chain, q }: RouteContext): void {
  const p = chain.params
  app.get(
    '/chain',
    {
      schema: {
        tags: ['chain'],
        summary: 'Chain name, token, genesis hash, fees, prices and head',
        response: { 200: Type.Ref('ChainInfo') },
      },
    },
    async () => ({
      kind: 'dev' as const,
      name: p.name,
      ss58Prefix: p.ss58Prefix,
      token: p.token,
      genesisHash: toHex(chain.genesisHash),
      blockIntervalMs: chain.blockIntervalMs,
      finalityDepth: chain.finalityDepth,
      fees: { base: p.fees.base.toString(), perByte: p.fees.perByte.toString() },
      pricing: {
        perMbStored: p.pricing.perMbStored.toString(),
        perMbRead: p.pricing.perMbRead.toString(),
        perRequest: p.pricing.perRequest.toString(),
        treasuryShare: p.pricing.treasuryShare,
      },
      treasury: toAddress(p.treasury, p.ss58Prefix),
      authority: toAddress(p.authority, p.ss58Prefix),
      ...(await q.head()),
    }),
  )
  app.get(
    '/chain/head',
    {
      schema: {
        tags: ['chain'],
        summary: 'Best and finalized block',
        response: { 200: Type.Ref('Head'), ...errorResponses(503) },
      },
    },
    async () => q.head(),
  )
}
