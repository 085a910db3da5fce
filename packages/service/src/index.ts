/** @ddc/service — the shared kit every DDC service process is built from. */
export { createService, type Service, type ServiceInit, type ServiceHandle, type HealthCheck } from './server.js'
export { runService, type RunOptions } from './run.js'
export { loadConfig, type LoadConfigOptions } from './config.js'
export { request, requestJson, type RequestOptions } from './client.js'
export { statusOf, registerStatus } from './errors.js'
export { ErrorBody, errorResponses } from './schemas.js'
export type { ServiceMetrics } from './metrics.js'
