import type { JuteReader } from './reader.js';
import type { JuteWriter } from './writer.js';

/**
 * A jute record codec. Codecs are plain module-level objects (no closures are created per call),
 * so passing one to a generic helper such as `writeReply(w, ..., Codec, value)` costs nothing.
 */
export interface Codec<T> {
  /** Record name as in zookeeper.jute (used in error messages). */
  readonly name: string;
  write(w: JuteWriter, v: T): void;
  read(r: JuteReader): T;
}
