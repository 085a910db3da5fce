// An app seals a user's event in two scopes, and shares one scope of all its users with an analyst.
import { cidOf, createAccount, cryptoReady, linkEvents, signEvents, verifyEvent } from '@ddc/core'
import {
  createAnnouncement,
  createGrant,
  encryptionKeyPair,
  generateMasterKey,
  KeyRing,
  openGrant,
  standardModule,
  verifyAnnouncement,
} from '@ddc/crypto'

await cryptoReady()
const app = createAccount({ uri: '//Alice' }) // owns the bucket and its master key
const user = createAccount({ uri: '//Bob' }) // whose timeline this is
const analyst = createAccount({ uri: '//Charlie' }) // a third party

// 1. Which fields of which event type go into which scope; the rest stays public.
const module = standardModule({
  scopes: { page_view: { scopes: { profile: ['email'], activity: ['page', '/ctx/os'] }, unmapped: 'public' } },
})
const appKeys = new KeyRing({ keys: [{ level: 'master', key: generateMasterKey() }] })

// 2. Seal the event, link it into the user's timeline, and have the user sign it.
const meta = { bucket: 'demo-app', owner: user.accountId, id: 'evt-1', type: 'page_view' }
const data = { email: 'bob@example.com', page: '/pricing', ctx: { os: 'linux', lang: 'en' } }
const { body, ...sealed } = await module.encrypt({ ...meta, data }, appKeys)
const [draft] = linkEvents(null, [{ ...meta, ts: Date.now(), ...sealed, body: cidOf(body) }])
const [signed] = await signEvents(user, [draft!])
verifyEvent(signed!)
console.log('stored', signed!.cid.toString(), 'with public fields', signed!.envelope.pub)

// 3. The analyst announces an X25519 key; the app grants it the activity scope of every user for a day.
const card = verifyAnnouncement(await createAnnouncement({ signer: analyst }))
const grant = await createGrant({
  signer: app,
  grantee: card.record,
  key: appKeys.bucketScopeTreeKey({ bucket: 'demo-app', scope: 'activity', epoch: 0 })!,
  exp: Date.now() + 86_400_000,
})

// 4. The analyst opens the grant and reads what it covers; the profile scope stays locked.
const analystKeys = new KeyRing().add(await openGrant(grant, encryptionKeyPair(analyst.encryptionSeed)))
const read = await module.decrypt(signed!.envelope, body, analystKeys)
console.log('analyst reads', read.data, 'locked', read.locked)
