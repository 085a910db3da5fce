/**
 * The one wire form replicas exchange: the DAG-CBOR append body (`{events, caps?}` or a list), so a
 * pushed or forwarded request is the very request the client sent, capability chains included, and
 * every receiver decodes and verifies it with the same pipeline.
 */
import { encodeCanonical } from '@ddc/core'
import * as dagCbor from '@ipld/dag-cbor'
import type { DecodedEvent } from '../decode-events.js'
import type { AppendRequest } from '../wire.js'

type Body = { events: unknown[]; caps?: unknown[] }

function bodyOf(wire: AppendRequest): Body {
  const value = dagCbor.decode<unknown>(wire.raw)
  const body: Body = Array.isArray(value) ? { events: value } : (value as Body)
  // Chains that came beside the body (JSON, CAR, header) join the body's own `caps`.
  const caps = [...(body.caps ?? []), ...wire.chains.map((c) => c.map((l) => ({ cap: l.bytes, seal: l.seal })))]
  return caps.length ? { events: body.events, caps } : { events: body.events }
}

export function replicaBody(wire: AppendRequest): Uint8Array {
  return wire.chains.length === 0 ? wire.raw : encodeCanonical(bodyOf(wire))
}

/** The request cut into parts (each a body of its own, with every capability chain). */
export function splitBody(wire: AppendRequest, parts: readonly DecodedEvent[][]): Uint8Array[] {
  const { caps } = bodyOf(wire)
  return parts.map((events) =>
    encodeCanonical({
      events: events.map((e) =>
        e.bodyBytes ? { env: e.env, seal: e.seal, body: e.bodyBytes } : { env: e.env, seal: e.seal },
      ),
      ...(caps ? { caps } : {}),
    }),
  )
}
