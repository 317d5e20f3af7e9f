/**
 * @zk/crc — reflected 32-bit CRCs: CRC32 (zlib, java.util.zip.CRC32) for @zk/datatree's node
 * digests and CRC-32C for @zk/storage-file's log and snapshot files. JS slicing-by-16 for any
 * polynomial's tables, and a WebAssembly variant that checksums bytes in its own memory.
 */
export {
  CRC32_TABLES,
  CRC32C_TABLES,
  crc32,
  crc32Update,
  crc32c,
  crc32cUpdate,
  crcFinish,
  crcRun,
  crcTables,
  crcUpdate,
} from './crc.js';
export { WasmCrc, acquireWasmCrc, createWasmCrc, releaseWasmCrc } from './wasm.js';
