/**
 * `@ddc/chain/substrate` — the `Chain` interface on any Substrate node through @polkadot/api, Cere's
 * network presets, and ReplayProvider for running the adapter offline against real metadata.
 */
export { type SubstrateChainInit, substrateChain } from './adapter.js'
export { anchorCall, type CallModules, cidRemarkCall, ddcRecordsInCall, type FoundRecord } from './calls.js'
export type { TopologyConfig } from './ddc-pallets.js'
export { NETWORKS, type NetworkName, type NetworkPreset, resolveNetwork, type SubstrateNetwork } from './presets.js'
export { ReplayProvider, type ReplayProviderInit } from './replay-provider.js'
export { type SubstrateSigner, substrateKeypair } from './signer.js'
export { dispatchErrorToDdc, rpcRefusalToDdc } from './submit.js'
