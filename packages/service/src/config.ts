/**
 * Service configuration from, in rising precedence: defaults, a JSON file, environment variables
 * (`<PREFIX>_<FIELD>` in upper snake case), explicit overrides. Validated against a TypeBox schema so a
 * bad value stops the process at start with a message that names the setting.
 */
import { readFileSync } from 'node:fs'
import { InvalidInputError } from '@ddc/core'
import type { Static, TObject } from '@sinclair/typebox'
import { Value } from '@sinclair/typebox/value'

const snake = (k: string) => k.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase()

export interface LoadConfigOptions {
  /** Env prefix, e.g. `DDC_NODE` reads `DDC_NODE_PORT`. */
  envPrefix: string
  file?: string
  env?: Record<string, string | undefined>
  overrides?: Record<string, unknown>
}

export function loadConfig<T extends TObject>(schema: T, opts: LoadConfigOptions): Static<T> {
  const env = opts.env ?? process.env
  const file = opts.file ?? env[`${opts.envPrefix}_CONFIG`]
  let fromFile: Record<string, unknown> = {}
  if (file) {
    try {
      fromFile = JSON.parse(readFileSync(file, 'utf8'))
    } catch (err) {
      throw new InvalidInputError(`cannot read config file ${file}: ${(err as Error).message}`)
    }
  }
  const fromEnv: Record<string, unknown> = {}
  for (const key of Object.keys(schema.properties)) {
    const raw = env[`${opts.envPrefix}_${snake(key)}`]
    if (raw === undefined) continue
    const trimmed = raw.trim()
    if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
      try {
        fromEnv[key] = JSON.parse(trimmed)
      } catch {
        // The parser's message quotes the text, which may hold a key: name the variable only.
        throw new InvalidInputError(`config ${key} (${opts.envPrefix}_${snake(key)}) is not valid JSON`)
      }
    } else fromEnv[key] = raw
  }
  const merged = {
    ...fromFile,
    ...fromEnv,
    ...Object.fromEntries(Object.entries(opts.overrides ?? {}).filter(([, v]) => v !== undefined)),
  }
  const withDefaults = Value.Default(schema, Value.Convert(schema, merged))
  const errors = [...Value.Errors(schema, withDefaults)]
  if (errors.length > 0) {
    const e = errors[0]!
    const name = e.path.replace(/^\//, '').split('/')[0] ?? ''
    throw new InvalidInputError(`config ${name || '(root)'} (${opts.envPrefix}_${snake(name)}): ${e.message}`)
  }
  return withDefaults as Static<T>
}

/** For `main.ts`: loads the config, or prints one line that names the bad setting and exits with 2. */
export function loadConfigOrExit<T extends TObject>(schema: T, opts: LoadConfigOptions): Static<T> {
  try {
    return loadConfig(schema, opts)
  } catch (err) {
    process.stderr.write(`error: ${(err as Error).message}\n`)
    process.exit(2)
  }
}
