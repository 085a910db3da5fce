/** @ddc/testing — helpers for DDC's own test suites (not published). */
export * from './browser.js'
export * from './proxy.js'
