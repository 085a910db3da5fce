// Quick start: a user appends events to their timeline, reads them back verified and decrypted,
// shares one scope with an analyst, and checks the whole timeline. Needs a running CLS (and the
// chain and storage nodes it knows): DDC_CLS=http://127.0.0.1:8200 npx tsx packages/sdk/examples/quickstart.ts
import { createAccount, cryptoReady } from '@ddc/core'
import { generateMasterKey, KeyRing, standardModule } from '@ddc/crypto'
import { createClient } from '@ddc/sdk'

export async function quickstart(cls: string, bucket: string) {
  await cryptoReady()
  // Which fields go into which encrypted scope; the rest stays public.
  const module = standardModule({
    scopes: { page_view: { scopes: { profile: ['email'], activity: ['page'] }, unmapped: 'public' } },
  })
  const keys = new KeyRing({ keys: [{ level: 'master', key: generateMasterKey() }] })

  // The user's client: their key signs (one signature per batch), the app's keys encrypt.
  const user = createClient({ signer: createAccount({ uri: '//Bob' }), cls, encryption: { module, keys } })
  const stored = await user.appendMany(bucket, [
    { type: 'page_view', data: { email: 'bob@example.com', page: '/pricing', lang: 'en' } },
    { type: 'page_view', data: { email: 'bob@example.com', page: '/checkout', lang: 'en' } },
  ])
  console.log('stored', stored.map((e) => `${e.seq}:${e.cid}`).join(' '))

  for await (const e of user.events(bucket)) console.log('read', e.seq, e.data, 'locked', e.locked)

  // An analyst publishes its encryption key; the user grants it the activity scope of their timeline.
  const analyst = createClient({
    signer: createAccount({ uri: '//Charlie' }),
    cls,
    encryption: { module, keys: new KeyRing() },
  })
  await analyst.announceKey()
  const grant = await user.share({
    bucket,
    scope: 'activity',
    grantee: analyst.address,
    owner: user.address,
    exp: Date.now() + 3_600_000,
  })
  await analyst.openGrant(grant)
  const [last] = await analyst.tail(bucket, user.address, 1)
  console.log(
    'analyst reads',
    last?.data,
    'locked',
    last?.locked.map((l) => l.scope),
  )

  const report = await user.verifyTimeline(bucket)
  console.log('verified', report.checked, 'events:', report.ok ? 'ok' : report.failure)
  return { stored, analystData: last?.data, report }
}

if (import.meta.url === `file://${process.argv[1]}`)
  await quickstart(process.env.DDC_CLS ?? 'http://127.0.0.1:8200', process.env.DDC_BUCKET ?? '2')
