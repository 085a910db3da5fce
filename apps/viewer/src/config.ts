/** Viewer configuration (`DDC_VIEWER_*` env variables, a JSON file in `DDC_VIEWER_CONFIG`, or overrides). */
import { type Static, Type } from '@sinclair/typebox'

export const ViewerConfig = Type.Object({
  host: Type.String({ default: '127.0.0.1' }),
  port: Type.Integer({ minimum: 0, maximum: 65535, default: 8400 }),
  /** Dev chain HTTP API. */
  chain: Type.String({ default: 'http://127.0.0.1:9944' }),
  /** Content Lookup Service. */
  cls: Type.String({ default: 'http://127.0.0.1:8200' }),
  /** Storage nodes to read from; empty: the nodes the CLS topology lists. */
  storageNodes: Type.Array(Type.String(), { default: [] }),
  /** Timeout of each upstream request. */
  timeoutMs: Type.Integer({ minimum: 100, default: 5000 }),
  /** Secret URI of an account that may read private buckets (dev: `//Alice`, the demo bucket's owner). */
  accountUri: Type.Optional(Type.String()),
  publicUrl: Type.Optional(Type.String()),
  logLevel: Type.Union(
    [Type.Literal('fatal'), Type.Literal('error'), Type.Literal('warn'), Type.Literal('info'), Type.Literal('debug')],
    { default: 'info' },
  ),
})
export type ViewerConfig = Static<typeof ViewerConfig>
