// NFT provenance: events that also go on chain. A marketplace mints a token and a buyer purchases
// it. Each event is signed and appended to the actor's timeline (so its CID is known), then one
// chain transaction carries that CID as a remark — and, for the purchase, the payment to the seller
// in the same atomic batch. Anyone can then check each event against the chain: the block that
// holds its CID, and that the transfer matches the price and parties the event declares.
//   npx tsx examples/nft-provenance.ts [--cls http://127.0.0.1:8701 --chain http://127.0.0.1:8700]
import { createAccount, type Signer, toAddress } from '@ddc/core'
import { createClient } from '@ddc/sdk'
import { chainFor, type Log, type Network, runIfMain } from './network.js'

export async function main(net: Network, log: Log = console.log) {
  const market = createAccount({ uri: '//Alice' })
  const seller = createAccount({ uri: '//Bob' })
  const buyer = createAccount({ uri: '//Charlie' })
  const chains = [market, buyer].map((s) => chainFor(net, s))
  const [marketChain, buyerChain] = chains as [(typeof chains)[0], (typeof chains)[0]]
  const client = (signer: Signer, chain: typeof marketChain) => createClient({ signer, cls: net.cls, chain })
  try {
    const marketplace = client(market, marketChain)
    // Provenance events are public: anyone may audit them (no encrypted scopes).
    const bucket = (await marketplace.createBucket({ isPublic: true, settings: { app: 'nft-market' } })).id
    const token = `nft-${Date.now()}`

    const mint = await marketplace.appendOnChain(bucket, {
      type: 'nft.mint',
      data: { token, to: seller.address, uri: 'ipfs://bafy.../metadata.json' },
    })
    log('minted', token, 'event', mint.event.cid.toString(), 'in block', mint.remark.block.number)

    const price = 25n
    const purchase = await client(buyer, buyerChain).appendOnChain(
      bucket,
      { type: 'nft.purchase', data: { token, from: seller.address, price: Number(price) } },
      { transfer: { to: seller.address, amount: price } },
    )
    log('purchased', token, 'event', purchase.event.cid.toString(), 'in block', purchase.remark.block.number)

    // The audit: every event found on chain, the payment matching the event.
    const audit = []
    for (const { event } of [mint, purchase]) {
      const e = await marketplace.get(event.cid)
      const onChain = await marketChain.findRemark(event.cid)
      const transfer = onChain?.transfer
      const paid =
        e.type !== 'nft.purchase' ||
        (transfer !== undefined &&
          transfer.amount === BigInt(e.data.price as number) &&
          toAddress(transfer.to) === e.data.from &&
          toAddress(transfer.from) === e.signer)
      log(
        e.type,
        'by',
        e.signer.slice(0, 8),
        'on chain at block',
        onChain?.block.number,
        e.type !== 'nft.purchase' ? '' : paid ? 'payment matches the event' : 'PAYMENT MISMATCH',
      )
      audit.push({ type: e.type, cid: e.cid.toString(), block: onChain?.block.number, paid })
    }
    return { bucket, token, mint, purchase, audit }
  } finally {
    for (const c of chains) await c.close()
  }
}

await runIfMain(import.meta.url, main)
