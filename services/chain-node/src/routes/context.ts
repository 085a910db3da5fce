/** What every route module gets: the chain engine and its read model. */
import type { DevChain } from '../dev-chain.js'
import type { Queries } from '../queries.js'

export interface RouteContext {
  chain: DevChain
  q: Queries
}
