/** Runs in headless Chromium (bundled by browser.test.ts): the core API end to end, no Node built-ins. */
import { sampleBatch } from './browser.sample.js'
import { cryptoReady, decodeSignedEvent, envelopeToJson, SealVerifier, signEvents, verifyEvent } from './index.js'

const w = window as unknown as { __result?: unknown; __done?: boolean; __error?: string }
try {
  await cryptoReady()
  const results: Record<string, unknown> = {}
  for (const scheme of ['sr25519', 'ed25519'] as const) {
    const { alice, items } = sampleBatch(scheme)
    const signed = await signEvents(alice, items)
    const verifier = new SealVerifier()
    for (const ev of signed) verifyEvent(decodeSignedEvent(ev.bytes, ev.seal), verifier)
    results[scheme] = {
      address: alice.address,
      cids: signed.map((e) => e.cid.toString()),
      verifications: verifier.verifications,
      last: envelopeToJson(signed[9]!.envelope),
    }
  }
  w.__result = results
  w.__done = true
} catch (err) {
  w.__error = (err as Error).stack ?? String(err)
}
