/** @ddc/viewer — the DDC Data and Block Viewer. */

export { ViewerConfig } from './config.js'
export { createViewer, type ViewerInit } from './server.js'
export { Upstream, type UpstreamInit } from './upstream.js'
