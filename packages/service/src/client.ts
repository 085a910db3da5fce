/** The HTTP client lives in core (browser-safe); re-exported here for services. */
export { type RequestOptions, request, requestJson } from '@ddc/core'
