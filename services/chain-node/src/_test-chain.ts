/** Test helpers (not part of the service): a dev chain in a temp folder and a way to sign into it. */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type Call, signTx } from '@ddc/chain/dev'
import type { Signer } from '@ddc/core'
import { createDevChain, type DevChain, type DevChainInit } from './dev-chain.js'
import { devAccount } from './genesis.js'
import { readAccount } from './ledger/model.js'

export function tempDir(): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'ddc-chain-'))
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) }
}

export async function devSigners() {
  return {
    alice: await devAccount('Alice'),
    bob: await devAccount('Bob'),
    charlie: await devAccount('Charlie'),
    dave: await devAccount('Dave'),
    eve: await devAccount('Eve'),
    ferdie: await devAccount('Ferdie'),
  }
}

/** Signs `call` for `chain` with the sender's next nonce (overridable). */
export async function signFor(
  chain: DevChain,
  signer: Signer,
  call: Call,
  over: { nonce?: number; validUntil?: number; tip?: bigint; genesisHash?: Uint8Array } = {},
) {
  return signTx(signer, call, {
    genesisHash: over.genesisHash ?? chain.genesisHash,
    nonce: over.nonce ?? readAccount(chain.state, signer.accountId).nonce,
    validUntil: over.validUntil ?? chain.best().header.number + 64,
    tip: over.tip,
  })
}

/** Signs, submits and puts `call` into a block; answers the accepted transaction. */
export async function execute(chain: DevChain, signer: Signer, call: Call) {
  const tx = await signFor(chain, signer, call)
  const accepted = chain.submit(tx.bytes)
  await chain.produceBlock()
  return accepted
}

/** Sum of free + reserved over every account: conserved by every transaction. */
export function issuance(chain: DevChain, view: 'committed' | 'pending' = 'committed'): bigint {
  let total = 0n
  for (const k of chain.state.keys('account/', view)) {
    const a = chain.state.get<{ free: bigint | number; reserved: bigint | number }>(k, view)!
    total += BigInt(a.free) + BigInt(a.reserved)
  }
  return total
}

export async function openTestChain(init: Partial<DevChainInit> = {}) {
  const tmp = tempDir()
  const chain = await createDevChain({ dataDir: tmp.dir, blockIntervalMs: 0, ...init })
  return {
    chain,
    dir: tmp.dir,
    signers: await devSigners(),
    async cleanup() {
      await chain.close()
      tmp.remove()
    },
  }
}
