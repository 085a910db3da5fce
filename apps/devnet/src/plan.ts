/**
 * The devnet's shape: which services, on which ports, with which settings. One place, so the launcher,
 * its smoke test and the printed instructions agree. Every service reads the same env variables it
 * reads when run alone; the devnet only chooses values.
 */
import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { devNodeUri } from '@ddc/chain-node'
import type { ServiceSpec } from './supervisor.js'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..')
const entry = (service: string) => join(root, 'services', service, 'src', 'main.ts')

export interface DevnetOptions {
  dataDir: string
  /** First port; services take consecutive ports from here. */
  basePort: number
  storageNodes: number
  blockIntervalMs: number
  logLevel: string
}

export const DEFAULTS: DevnetOptions = {
  dataDir: '.ddc',
  basePort: 8700,
  storageNodes: 3,
  blockIntervalMs: 1000,
  logLevel: 'info',
}

export interface DevSecrets {
  /** Bearer token for the encryption service (dev only). */
  cryptoToken: string
  /** Master key of the demo bucket's scoped encryption (dev only). */
  demoMasterKey: string
}

/** Dev secrets are made once per data folder and kept there, so restarts keep reading old data. */
export function devSecrets(dataDir: string): DevSecrets {
  const file = join(dataDir, 'dev-secrets.json')
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as DevSecrets
  mkdirSync(dataDir, { recursive: true })
  const secrets = { cryptoToken: randomBytes(24).toString('hex'), demoMasterKey: randomBytes(32).toString('hex') }
  writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 })
  return secrets
}

export const DEMO_SCOPES = {
  '*': { scopes: { profile: ['email', 'name'], activity: ['page', 'action'] }, unmapped: 'public' },
}

export interface DevnetPlan {
  chain: ServiceSpec
  storage: ServiceSpec[]
  cls: ServiceSpec
  crypto: ServiceSpec
  viewer: ServiceSpec
}

export function devnetPlan(o: DevnetOptions, secrets: DevSecrets): DevnetPlan {
  const url = (port: number) => `http://127.0.0.1:${port}`
  const dir = (name: string) => resolve(o.dataDir, name)
  const chainPort = o.basePort
  const clsPort = o.basePort + 1
  const cryptoPort = o.basePort + 2
  const viewerPort = o.basePort + 3
  const storagePorts = Array.from({ length: o.storageNodes }, (_, i) => o.basePort + 10 + i)
  const chainUrl = url(chainPort)
  return {
    chain: {
      name: 'chain',
      entry: entry('chain-node'),
      url: chainUrl,
      env: {
        DDC_CHAIN_PORT: String(chainPort),
        DDC_CHAIN_DATA_DIR: dir('chain'),
        DDC_CHAIN_BLOCK_INTERVAL_MS: String(o.blockIntervalMs),
        DDC_CHAIN_NODE_ENDPOINTS: JSON.stringify(storagePorts.map(url)),
        DDC_CHAIN_LOG_LEVEL: o.logLevel,
      },
    },
    storage: storagePorts.map((port, i) => ({
      name: `storage-${i + 1}`,
      entry: entry('storage-node'),
      url: url(port),
      env: {
        DDC_NODE_PORT: String(port),
        DDC_NODE_DATA_DIR: dir(`storage-${i + 1}`),
        DDC_NODE_CHAIN: chainUrl,
        // The key the dev chain's genesis registers for node i (//DdcNode1…): its identity among its
        // replicas (cluster and peers read from the chain), and the signer of its anchors.
        DDC_NODE_KEY: devNodeUri(i + 1),
        // Three nodes share this machine's cores: one verification thread each, not one per core each.
        DDC_NODE_VERIFY_WORKERS: '1',
        DDC_NODE_CORS: 'true',
        DDC_NODE_LOG_LEVEL: o.logLevel,
      },
    })),
    cls: {
      name: 'cls',
      entry: entry('cls'),
      url: url(clsPort),
      env: {
        DDC_CLS_PORT: String(clsPort),
        DDC_CLS_CHAIN: chainUrl,
        DDC_CLS_DATA_DIR: dir('cls'),
        DDC_CLS_ACCOUNT_URI: '//DdcCls',
        DDC_CLS_PROBE_INTERVAL_MS: '2000',
        DDC_CLS_CORS: 'true',
        DDC_CLS_LOG_LEVEL: o.logLevel,
      },
    },
    crypto: {
      name: 'crypto',
      entry: entry('crypto-service'),
      url: url(cryptoPort),
      env: {
        DDC_CRYPTO_PORT: String(cryptoPort),
        DDC_CRYPTO_ACCOUNT_URI: '//DdcCrypto',
        DDC_CRYPTO_BUCKETS: JSON.stringify({ '1': { masterKey: secrets.demoMasterKey, scopes: DEMO_SCOPES } }),
        DDC_CRYPTO_TOKENS: JSON.stringify([{ name: 'devnet', token: secrets.cryptoToken }]),
        DDC_CRYPTO_LOG_LEVEL: o.logLevel,
      },
    },
    viewer: {
      name: 'viewer',
      entry: join(root, 'apps', 'viewer', 'src', 'main.ts'),
      url: url(viewerPort),
      env: {
        DDC_VIEWER_PORT: String(viewerPort),
        DDC_VIEWER_CHAIN: chainUrl,
        DDC_VIEWER_CLS: url(clsPort),
        // The demo bucket is private: the viewer reads it as its owner, //Alice (dev only).
        DDC_VIEWER_ACCOUNT_URI: '//Alice',
        DDC_VIEWER_LOG_LEVEL: o.logLevel,
      },
    },
  }
}
