/**
 * Named Substrate networks. Cere's public endpoints are the ones Cere's own tools and polkadot{.js}
 * apps list (checked in public source, not against the live nodes from this machine): archive nodes
 * at wss://archive.<net>.cere.network/ws; the token is CERE with 10 decimals; SS58 prefix 54.
 */
import { InvalidInputError } from '@ddc/core'

export type NetworkName = 'cere-mainnet' | 'cere-testnet' | 'cere-devnet' | 'local'

export interface NetworkPreset {
  name: string
  /** WebSocket RPC endpoints, preferred first. */
  endpoints: string[]
  ss58Prefix: number
}

export const NETWORKS: Readonly<Record<NetworkName, NetworkPreset>> = {
  'cere-mainnet': {
    name: 'Cere Mainnet',
    endpoints: ['wss://archive.mainnet.cere.network/ws', 'wss://rpc.mainnet.cere.network/ws'],
    ss58Prefix: 54,
  },
  'cere-testnet': {
    name: 'Cere Testnet',
    endpoints: ['wss://archive.testnet.cere.network/ws', 'wss://rpc.testnet.cere.network/ws'],
    ss58Prefix: 54,
  },
  'cere-devnet': {
    name: 'Cere Devnet',
    endpoints: ['wss://archive.devnet.cere.network/ws', 'wss://rpc.devnet.cere.network/ws'],
    ss58Prefix: 54,
  },
  local: {
    name: 'Local Substrate node',
    endpoints: ['ws://127.0.0.1:9944'],
    ss58Prefix: 42,
  },
}

export type SubstrateNetwork = NetworkName | { endpoint: string | string[]; ss58Prefix?: number; name?: string }

export function resolveNetwork(network: SubstrateNetwork): NetworkPreset {
  if (typeof network === 'string') {
    const preset = NETWORKS[network]
    if (!preset)
      throw new InvalidInputError(`unknown network ${network}; use one of ${Object.keys(NETWORKS).join(', ')}`)
    return preset
  }
  const endpoints = Array.isArray(network.endpoint) ? network.endpoint : [network.endpoint]
  if (endpoints.length === 0 || !endpoints.every((e) => /^wss?:\/\//.test(e))) {
    throw new InvalidInputError('a custom network needs ws:// or wss:// endpoints')
  }
  return { name: network.name ?? endpoints[0]!, endpoints, ss58Prefix: network.ss58Prefix ?? 42 }
}
