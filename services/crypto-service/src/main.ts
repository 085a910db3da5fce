/** The crypto service process: `tsx services/crypto-service/src/main.ts` (config: DDC_CRYPTO_* or DDC_CRYPTO_CONFIG). */
import { InvalidInputError } from '@ddc/core'
import { loadConfig, runService } from '@ddc/service'
import { CryptoServiceConfig } from './config.js'
import { createCryptoService } from './server.js'

function config(): CryptoServiceConfig {
  try {
    return loadConfig(CryptoServiceConfig, { envPrefix: 'DDC_CRYPTO' })
  } catch (err) {
    // JSON.parse quotes the text around a syntax error, and these variables hold keys and tokens.
    if (err instanceof SyntaxError)
      throw new InvalidInputError(
        'a DDC_CRYPTO_* variable holding JSON does not parse (text withheld: it may hold keys)',
      )
    throw err
  }
}

const c = config()
const app = await createCryptoService({ ...c, logger: c.logLevel })
const url = await runService(app, { host: c.host, port: c.port })
app.log.info(
  { url, buckets: Object.keys(c.buckets), tokens: c.tokens.map((t) => t.name), maxBatch: c.maxBatch },
  'DDC crypto service running',
)
