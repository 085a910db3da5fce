/**
 * `@ddc/chain/dev` — the dev chain's transaction format and wire types, shared by the client in this
 * package and the chain node that verifies and executes them.
 */
export * from './transaction.js'
export * from './wire.js'
