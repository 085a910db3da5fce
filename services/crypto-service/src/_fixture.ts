/** Shared by this service's tests: a service with two buckets, three tokens, and the keys behind them. */
import { createAccount, cryptoReady, toHex } from '@ddc/core'
import { generateMasterKey } from '@ddc/crypto'
import type { BucketConfig } from './config.js'
import { type CryptoServiceInit, createCryptoService } from './server.js'

export const TOKENS = {
  admin: 'admin-7f3a9c1e5b2d8f4a6c0e',
  demo: 'demo-only-2b8e4f6a1c3d5e7f9a0b',
  reader: 'decrypt-only-9d1f3b5a7c2e4f6a8b0c',
}

export const SCOPES: BucketConfig['scopes'] = {
  page_view: { scopes: { profile: ['email'], activity: ['page', '/ctx/os'] }, unmapped: 'public' },
}

export const DATA = { email: 'bob@example.com', page: '/pricing', ctx: { os: 'linux', lang: 'en' } }

export async function fixture(overrides: Partial<CryptoServiceInit> = {}) {
  await cryptoReady()
  const master = generateMasterKey()
  const otherMaster = generateMasterKey()
  const bob = createAccount({ uri: '//Bob' })
  const charlie = createAccount({ uri: '//Charlie' })
  const init: CryptoServiceInit = {
    accountUri: '//CryptoServiceTest',
    buckets: {
      'demo-app': { masterKey: toHex(master), scopes: SCOPES, epochs: { profile: 1 } },
      'other-app': { masterKey: toHex(otherMaster), scopes: SCOPES },
    },
    tokens: [
      { name: 'admin', token: TOKENS.admin },
      { name: 'demo', token: TOKENS.demo, buckets: ['demo-app'] },
      { name: 'reader', token: TOKENS.reader, ops: ['decrypt'] },
    ],
    logger: false,
    defaultMetrics: false,
    ...overrides,
  }
  const app = await createCryptoService(init)
  const call = async (method: 'GET' | 'POST', url: string, payload?: unknown, token: string | null = TOKENS.admin) => {
    const headers: Record<string, string> = token === null ? {} : { authorization: `Bearer ${token}` }
    const res = await app.inject({ method, url, payload: payload as object, headers })
    const json = String(res.headers['content-type']).includes('json')
    return { status: res.statusCode, body: json ? res.json() : res.body, headers: res.headers }
  }
  return { app, call, init, master, otherMaster, bob, charlie }
}

export const event = (owner: string, id = 'evt-1', bucket = 'demo-app') => ({
  bucket,
  owner,
  id,
  type: 'page_view',
  data: DATA,
})
