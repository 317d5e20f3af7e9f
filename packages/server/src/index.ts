/**
 * @packageDocumentation
 * One ZooKeeper-compatible replica, embeddable in-process: `createServer(config, deps)` with the
 * zoo.cfg parser, logger and clock it is built from.
 */
export { createServer, type ServerDependencies, type ServerMode, type ZkServer } from './zk-server.js';
export { systemClock, type Clock, type TimerHandle } from './clock.js';
export { ZK_NOT_SERVING } from './four-letter-words.js';
export { ManualClock } from './manual-clock.js';
export { VERSION_STRING, ZK_TS_VERSION, COMPATIBLE_ZOOKEEPER_VERSION } from './version.js';
export * from './config/index.js';
export {
  createLogger, silentLogger, memoryLogger, lineSink, formatJsonLine, formatTextLine, isLogThreshold, LOG_LEVELS,
  type Logger, type LogFormat, type LineSinkOptions, type LogLevel, type LogThreshold, type LogFields, type LogRecord, type LogSink, type CreateLoggerOptions,
} from './logger.js';
