/** The chain node's configuration (file, `DDC_CHAIN_*` environment variables, overrides). */
import { type Static, Type } from '@sinclair/typebox'

export const ChainNodeConfig = Type.Object({
  host: Type.String({ default: '127.0.0.1' }),
  port: Type.Integer({ minimum: 0, maximum: 65535, default: 9944 }),
  dataDir: Type.String({ default: '.ddc/chain', description: 'LevelDB folder' }),
  blockIntervalMs: Type.Integer({ minimum: 10, default: 1000 }),
  finalityDepth: Type.Integer({ minimum: 0, maximum: 1000, default: 0 }),
  authorityUri: Type.String({ default: '//Alice', description: 'secret URI of the block author' }),
  genesisFile: Type.Optional(Type.String({ description: 'JSON GenesisConfig; default: the dev genesis' })),
  nodeEndpoints: Type.Optional(
    Type.Array(Type.String(), { description: 'endpoints of the dev cluster nodes (dev genesis only)' }),
  ),
  ss58Prefix: Type.Integer({ minimum: 0, maximum: 16383, default: 42, description: 'dev genesis only' }),
  logLevel: Type.Union(
    [Type.Literal('fatal'), Type.Literal('error'), Type.Literal('warn'), Type.Literal('info'), Type.Literal('debug')],
    { default: 'info' },
  ),
  publicUrl: Type.Optional(Type.String()),
})

export type ChainNodeConfig = Static<typeof ChainNodeConfig>
