/** @ddc/chain — the Chain interface, the dev chain client and the Substrate adapter. */
export * from './bucket.js'
