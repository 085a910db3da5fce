/** TypeBox schemas shared by every service's OpenAPI document. */
import { type TSchema, Type } from '@sinclair/typebox'

export const ErrorBody = Type.Object(
  {
    code: Type.String({ description: 'Stable error code, e.g. ERR_CONFLICT' }),
    message: Type.String({ description: 'What went wrong and what to do' }),
    details: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  },
  { $id: 'Error', title: 'Error' },
)

/** Standard error responses to merge into a route's `response` schema. */
export function errorResponses(...statuses: number[]): Record<number, TSchema> {
  return Object.fromEntries(statuses.map((s) => [s, Type.Ref('Error')]))
}
