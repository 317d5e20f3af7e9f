/**
 * @packageDocumentation
 * The default durable backend of `@zk/storage`: a group-committed, CRC32C-framed txn log in
 * preallocated segments, atomic snapshots and ZAB epoch files. On-disk format: docs/storage-format.md.
 */
export {
  DEFAULT_PREALLOC_SIZE,
  FORMAT_DIR,
  type FileStorage,
  type FileStorageOptions,
  fileStorage,
} from './file-storage.js';
export {
  type LogFileRecord,
  type SnapshotFileContent,
  readLogFile,
  readLogFileHeader,
  readSnapshotFile,
} from './dump.js';
export { ACCEPTED_EPOCH_FILE, CURRENT_EPOCH_FILE } from './file-epoch-store.js';
export { crc32c, crc32cUpdate } from '@zk/crc';
