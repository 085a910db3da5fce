/** The crypto service process: `tsx services/crypto-service/src/main.ts` (config: DDC_CRYPTO_* or DDC_CRYPTO_CONFIG). */
import { loadConfigOrExit, runService } from '@ddc/service'
import { CryptoServiceConfig } from './config.js'
import { createCryptoService } from './server.js'

const c = loadConfigOrExit(CryptoServiceConfig, { envPrefix: 'DDC_CRYPTO' })
const app = await createCryptoService({ ...c, logger: c.logLevel })
const url = await runService(app, { host: c.host, port: c.port })
app.log.info(
  { url, buckets: Object.keys(c.buckets), tokens: c.tokens.map((t) => t.name), maxBatch: c.maxBatch },
  'DDC crypto service running',
)
