/** Public API of the server package: run it, or embed its pieces. */

export { createTokenService, type Principal, type TokenService } from './auth/tokens.js';
export { type CollabServer, createCollabServer } from './collab/index.js';
export { type Config, ConfigError, loadConfig } from './config.js';
export { createLogger, type Logger } from './logger.js';
export { createMetrics, type Metrics } from './metrics.js';
export { jobDescriptionTemplate, seedDocuments, seedIfEmpty } from './seed/index.js';
export { type RunningServer, type ServerOverrides, startServer } from './server.js';
export * from './storage/index.js';
export { createStore } from './storage-factory.js';
