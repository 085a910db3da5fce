/**
 * A real IPFS client for DDC's interop test: a Helia node that speaks HTTP only (no libp2p), whose one
 * block source is the trustless gateway it is given, wrapped by @helia/verified-fetch. Helia hashes
 * every block it receives and refuses one that does not match its CID, so whatever this client returns
 * has been verified by IPFS code, not ours. `CarReader` is IPFS's own CAR parser, for the node's CARs.
 */

// Helia's stack targets Node 22; Node 20 lacks Promise.withResolvers (undici 7 is pinned by overrides).
if (typeof Promise.withResolvers !== 'function') {
  Promise.withResolvers = function withResolvers() {
    let resolve
    let reject
    const promise = new this((res, rej) => {
      resolve = res
      reject = rej
    })
    return { promise, resolve, reject }
  }
}

// Imported after the polyfill: static imports would be evaluated before it.
const { createHeliaLight } = await import('helia')
const { withHTTP } = await import('@helia/http')
const { fallbackRouter } = await import('@helia/fallback-router')
const { createVerifiedFetch } = await import('@helia/verified-fetch')
const dagCbor = await import('@ipld/dag-cbor')
export const { CarReader } = await import('@ipld/car')

/**
 * A verified fetch whose only block sources are `gateways` (a URL or URLs, e.g. http://127.0.0.1:8710,
 * asked in that order), plain HTTP on loopback allowed. `transformRequestInit` may add headers.
 */
export async function gatewayClient(gateways, { transformRequestInit } = {}) {
  const helia = withHTTP(createHeliaLight({ codecs: [dagCbor] }), {
    delegatedRouters: [],
    recursiveGateways: [],
    allowInsecure: true,
    allowLocal: true,
    ...(transformRequestInit ? { transformRequestInit } : {}),
  })
  // The gateway is named by an ordinary router: with only a fallback router, Helia's findProviders
  // waits forever for its (empty) peer-lookup queue to go idle.
  const gatewayRouter = fallbackRouter({ gateways: [gateways].flat(), shuffle: false })
  helia.addRouter({ name: 'ddc-gateway', findProviders: (cid, options) => gatewayRouter.findProviders(cid, options) })
  await helia.start()
  const fetch = await createVerifiedFetch(helia)
  return {
    fetch,
    helia,
    async stop() {
      await fetch.stop()
      await helia.stop()
    },
  }
}
