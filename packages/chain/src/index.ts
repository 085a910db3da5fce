/**
 * @ddc/chain — the Chain interface, the dev chain client and the remark format. The Substrate
 * adapter is `@ddc/chain/substrate` (kept apart so that @polkadot/api loads only where it is used).
 */
export * from './bucket.js'
export type * from './chain.js'
export { type DevChainClientInit, devChainClient } from './dev/client.js'
export * from './errors.js'
export { createFeed, type Feed } from './feed.js'
export { nodeIdOf, nodeKeyOf } from './node-id.js'
export * from './remark.js'
