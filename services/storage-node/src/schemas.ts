/**
 * TypeBox schemas of the storage node's wire objects: one source for request validation, response
 * serialization and the OpenAPI document at /openapi.json.
 */
import { type TSchema, Type } from '@sinclair/typebox'

const Hex = Type.String({ pattern: '^0x[0-9a-fA-F]*$' })
export const CidString = Type.String({ description: 'CIDv1 (base32)', minLength: 8, maxLength: 200 })
export const Address = Type.String({ description: 'SS58 address (any network prefix) or 0x-hex AccountId32' })

export const SealSchema = Type.Object(
  {
    scheme: Type.Union([Type.Literal('sr25519'), Type.Literal('ed25519'), Type.Literal('ecdsa')]),
    sig: Hex,
    n: Type.Integer({ minimum: 1, description: 'Events signed together (batch size)' }),
    i: Type.Integer({ minimum: 0, description: "This event's leaf index" }),
    path: Type.Array(Hex, { maxItems: 17, description: 'Merkle audit path, leaf side first' }),
  },
  { $id: 'Seal', title: 'Seal', description: 'Signature over the batch root, and this event’s Merkle path' },
)

export const AppendJson = Type.Object(
  {
    events: Type.Array(
      Type.Object({
        envelope: Type.String({ description: 'Canonical DAG-CBOR envelope bytes, standard base64' }),
        seal: Type.Ref('Seal'),
        body: Type.Optional(Type.String({ description: 'Body block (DAG-CBOR sealed scopes), standard base64' })),
      }),
      { minItems: 1 },
    ),
    capabilities: Type.Optional(
      Type.Array(Type.String({ description: 'Capability chain, header form (base64url DAG-CBOR)' }), {
        maxItems: 64,
      }),
    ),
  },
  { $id: 'AppendJson', title: 'AppendJson' },
)

const HeadView = Type.Object({ seq: Type.Integer(), cid: CidString })

export const AppendResult = Type.Object(
  {
    stored: Type.Integer({ description: 'Events newly stored' }),
    duplicates: Type.Integer({ description: 'Events that were already stored (a retried request)' }),
    replicas: Type.Optional(
      Type.Integer({
        description: 'Replicas holding the append durably (replicated nodes; at least the write quorum)',
      }),
    ),
    heads: Type.Array(
      Type.Object({
        bucket: Type.String(),
        owner: Type.String(),
        seq: Type.Integer(),
        cid: CidString,
        length: Type.Integer(),
      }),
    ),
  },
  { $id: 'AppendResult', title: 'AppendResult' },
)

export const TimelineView = Type.Object(
  {
    bucket: Type.String(),
    owner: Type.String(),
    length: Type.Integer(),
    head: Type.Union([HeadView, Type.Null()]),
  },
  { $id: 'Timeline', title: 'Timeline' },
)

export const EventView = Type.Object(
  {
    cid: CidString,
    seq: Type.Integer(),
    envelope: Type.Record(Type.String(), Type.Unknown(), { description: 'Envelope, JSON view (core envelopeToJson)' }),
    seal: Type.Ref('Seal'),
    body: Type.Optional(Type.String({ description: 'Body block, standard base64' })),
    redacted: Type.Boolean({ description: 'True when a tombstone erased the body' }),
  },
  { $id: 'Event', title: 'Event' },
)

export const EventPage = Type.Object(
  {
    events: Type.Array(Type.Ref('Event')),
    next: Type.Optional(Type.String({ description: 'Cursor for the next page' })),
  },
  { $id: 'EventPage', title: 'EventPage' },
)

export const UsageView = Type.Object(
  {
    bucket: Type.String(),
    bytesStored: Type.Integer(),
    bytesRead: Type.Integer(),
    requests: Type.Integer(),
    events: Type.Integer(),
    bytesErased: Type.Integer(),
  },
  { $id: 'Usage', title: 'Usage' },
)

export const Binary = (description: string) =>
  Type.Unsafe<Uint8Array>({ type: 'string', format: 'binary', description })

/** All shared schemas, to register with `app.addSchema` once. */
export const SHARED: TSchema[] = [SealSchema, AppendJson, AppendResult, TimelineView, EventView, EventPage, UsageView]

export const CBOR = 'application/vnd.ipld.dag-cbor'
export const CAR = 'application/vnd.ipld.car'
export const RAW = 'application/vnd.ipld.raw'
