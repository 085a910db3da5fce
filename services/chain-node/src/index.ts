/** @ddc/chain-node — the embedded DDC dev chain, for in-process use (tests, devnet). */

export { ChainNodeConfig } from './config.js'
export { createDevChain, type DevChain, type DevChainInit, type TxState } from './dev-chain.js'
export {
  DEMO_BUCKET,
  DEV_ACCOUNTS,
  DEV_CLUSTER,
  type DevAccountName,
  type DevGenesisInit,
  devAccount,
  devGenesis,
  devNodeUri,
  type GenesisConfig,
  genesisState,
  palletAccount,
} from './genesis.js'
export { type ChainNode, type ChainNodeInit, createChainNode } from './server.js'
