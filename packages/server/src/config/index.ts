export { ConfigError, isConfigError, type ConfigErrorDetails } from './errors.js';
export type { PeerType, QuorumPeerAddress, QuorumServerConfig, ServerConfig } from './types.js';
export {
  DEFAULT_CONFIG, DEFAULT_CLIENT_PORT, ZOOKEEPER_DEFAULT_TICK_TIME, EMBEDDED_DEFAULT_TICK_TIME,
  DEFAULT_JUTE_MAX_BUFFER, MAX_SERVER_ID,
} from './defaults.js';
export { ZOOKEEPER_DEFAULT_4LW_WHITELIST, EMBEDDED_DEFAULT_4LW_WHITELIST } from './four-letter-words.js';
export { parseProperties, type PropertyEntry } from './properties.js';
export { parseZooCfg, type ParseZooCfgOptions, type ParseZooCfgResult } from './parse.js';
export { loadConfig, type LoadConfigOptions } from './load.js';
