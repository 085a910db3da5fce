/** The batch core's browser test builds in Chromium and again in Node, to compare CIDs. */
import { createAccount, linkEvents, type SigScheme } from './index.js'

export function sampleBatch(scheme: SigScheme) {
  const alice = createAccount({ uri: '//Alice', scheme })
  const drafts = Array.from({ length: 10 }, (_, i) => ({
    bucket: 'demo',
    owner: alice.accountId,
    id: `e${i}`,
    type: 'page.view',
    ts: 1_700_000_000_000 + i,
    pub: { i },
  }))
  return { alice, items: linkEvents(null, drafts) }
}
