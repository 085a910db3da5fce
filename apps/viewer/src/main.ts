/**
 * The viewer process: `tsx apps/viewer/src/main.ts` (config: DDC_VIEWER_* or DDC_VIEWER_CONFIG).
 * Serves the web app and its /api on http://127.0.0.1:8400 by default.
 */
import { createAccount, cryptoReady } from '@ddc/core'
import { loadConfigOrExit, runService } from '@ddc/service'
import { ViewerConfig } from './config.js'
import { createViewer } from './server.js'

const c = loadConfigOrExit(ViewerConfig, { envPrefix: 'DDC_VIEWER' })
await cryptoReady()
const signer = c.accountUri === undefined ? undefined : createAccount({ uri: c.accountUri })
const app = await createViewer({ ...c, signer, logger: c.logLevel })
const url = await runService(app, { host: c.host, port: c.port })
app.log.info(
  { url, chain: c.chain, cls: c.cls, storageNodes: c.storageNodes, account: signer?.address ?? null },
  'DDC viewer running',
)
