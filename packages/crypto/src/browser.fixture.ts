/** Runs in headless Chromium (bundled by browser.test.ts): seal, share and open a 3-scope event. */
import { createAccount, cryptoReady } from '@ddc/core'
import {
  createGrant,
  deriveBucketScopeKey,
  encryptionKeyPair,
  generateMasterKey,
  KeyRing,
  openGrant,
  standardModule,
} from './index.js'

const w = window as unknown as { __result?: unknown; __done?: boolean; __error?: string }
try {
  await cryptoReady()
  const app = createAccount({ uri: '//Alice' })
  const analyst = createAccount({ uri: '//Charlie' })
  const user = createAccount({ uri: '//Bob' })
  const module = standardModule({
    scopes: { '*': { scopes: { profile: ['email'], activity: ['page'], device: ['/ctx/os'] }, unmapped: 'public' } },
  })
  const master = { level: 'master' as const, key: generateMasterKey() }
  const appKeys = new KeyRing({ keys: [master] })
  const event = {
    bucket: 'demo',
    owner: user.accountId,
    id: 'e1',
    type: 'page.view',
    data: { email: 'b@x.io', page: '/', ctx: { os: 'linux' }, lang: 'en' },
  }
  const sealed = await module.encrypt(event, appKeys)
  const all = await module.decrypt({ ...event, ...sealed }, sealed.body, appKeys)
  const grant = await createGrant({
    signer: app,
    grantee: { account: analyst.accountId, x25519: encryptionKeyPair(analyst.encryptionSeed).publicKey },
    key: deriveBucketScopeKey(master.key, { bucket: 'demo', scope: 'activity', epoch: 0 }),
    exp: Date.now() + 60_000,
  })
  const analystKeys = new KeyRing().add(await openGrant(grant, encryptionKeyPair(analyst.encryptionSeed)))
  const partial = await module.decrypt({ ...event, ...sealed }, sealed.body, analystKeys)
  w.__result = {
    all: all.data,
    opened: all.opened,
    partial: partial.data,
    locked: partial.locked.map((l) => l.scope).sort(),
  }
  w.__done = true
} catch (err) {
  w.__error = (err as Error).stack ?? String(err)
}
