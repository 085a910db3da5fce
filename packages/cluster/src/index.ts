/** @ddc/cluster — topology and placement shared by the CLS, storage nodes and the SDK. */
export * from './placement.js'
