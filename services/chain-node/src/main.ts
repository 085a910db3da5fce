/** The chain node process: `tsx services/chain-node/src/main.ts` (config: DDC_CHAIN_* or DDC_CHAIN_CONFIG). */
import { readFileSync } from 'node:fs'
import { loadConfigOrExit, runService } from '@ddc/service'
import { ChainNodeConfig } from './config.js'
import { devGenesis, type GenesisConfig } from './genesis.js'
import { createChainNode } from './server.js'

const config = loadConfigOrExit(ChainNodeConfig, { envPrefix: 'DDC_CHAIN' })
const genesis: GenesisConfig = config.genesisFile
  ? JSON.parse(readFileSync(config.genesisFile, 'utf8'))
  : await devGenesis({
      nodeEndpoints: config.nodeEndpoints,
      ss58Prefix: config.ss58Prefix,
      authorityUri: config.authorityUri,
    })
const node = await createChainNode({ ...config, genesis, logger: config.logLevel })
const url = await runService(node.app, { host: config.host, port: config.port })
node.app.log.info(
  { url, dataDir: config.dataDir, best: node.chain.best().header.number, blockIntervalMs: config.blockIntervalMs },
  'DDC dev chain running',
)
