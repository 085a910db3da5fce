/**
 * The CLS process: `tsx services/cls/src/main.ts` (config: DDC_CLS_* or DDC_CLS_CONFIG). The chain is
 * chosen by `chain`: an http(s) URL is a dev chain, a ws(s) URL or a preset name a Substrate node.
 */
import { type Chain, devChainClient } from '@ddc/chain'
import { createAccount, cryptoReady } from '@ddc/core'
import { loadConfigOrExit, runService } from '@ddc/service'
import { ClsConfig } from './config.js'
import { createCls } from './server.js'

const c = loadConfigOrExit(ClsConfig, { envPrefix: 'DDC_CLS' })

async function connect(target: string): Promise<Chain> {
  if (/^https?:\/\//.test(target)) return devChainClient({ url: target })
  // Loaded only here, so that @polkadot/api stays out of a CLS that talks to the dev chain.
  const { substrateChain } = await import('@ddc/chain/substrate')
  const network = /^wss?:\/\//.test(target) ? { endpoint: target } : (target as 'cere-mainnet')
  return substrateChain({ network })
}

await cryptoReady()
const chain = await connect(c.chain)
const account = c.accountUri === undefined ? undefined : createAccount({ uri: c.accountUri })
const cls = await createCls({ ...c, chain, account, logger: c.logLevel })
const url = await runService(cls.app, { host: c.host, port: c.port, onClose: () => chain.close() })
cls.app.log.info({ url, chain: c.chain, dataDir: c.dataDir, account: account?.address ?? null }, 'DDC CLS running')
