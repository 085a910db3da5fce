/** @ddc/devnet — the whole DDC network on localhost, as separate processes. */
export { type Devnet, type DevnetInfo, startDevnet } from './devnet.js'
export { DEFAULTS, type DevnetOptions } from './plan.js'
