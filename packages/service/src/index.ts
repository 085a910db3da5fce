/** @ddc/service — the shared kit every DDC service process is built from. */

export { type OpenApiDocument, renderApiReference, typeOf } from './api-reference.js'
export { type RequestOptions, request, requestJson } from './client.js'
export { type LoadConfigOptions, loadConfig, loadConfigOrExit } from './config.js'
export type { CorsOrigins } from './cors.js'
export { registerStatus, statusOf } from './errors.js'
export type { ServiceMetrics } from './metrics.js'
export { type RunOptions, runService } from './run.js'
export { ErrorBody, errorResponses } from './schemas.js'
export { createService, type HealthCheck, type Service, type ServiceHandle, type ServiceInit } from './server.js'
