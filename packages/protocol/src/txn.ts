// Transactions exactly as ZooKeeper 3.8 logs and replicates them
// (server/persistence/Util.marshallTxnEntry, server/util/SerializeUtils.deserializeTxn):
//   TxnHeader, then the body record for header.type (absent for some closeSession entries),
//   then an optional TxnDigest {int version; long treeDigest} when digests are enabled.
// A multi is a MultiTxn: vector<Txn {int type; buffer data}>, each `data` holding one serialized body.

import { OpCode } from './constants.js';
import { JuteDecodeError, JuteEncodeError } from './errors.js';
import { JuteReader, defaultMaxFieldLength } from './reader.js';
import {
  ACL,
  CheckVersionTxn,
  CloseSessionTxn,
  CreateContainerTxn,
  CreateSessionTxn,
  CreateTTLTxn,
  CreateTxn,
  DeleteTxn,
  ErrorTxn,
  SetACLTxn,
  SetDataTxn,
  TxnDigest,
  TxnHeader,
} from './records.js';
import type { Txn, TxnEntry } from './types.js';
import { JuteWriter } from './writer.js';

/** Writes the body record of `txn` (no header). A multi writes its MultiTxn vector. */
export function writeTxnBody(w: JuteWriter, txn: Txn): void {
  switch (txn.type) {
    case 1:
    case 15:
      CreateTxn.write(w, txn.txn);
      return;
    case 19:
      CreateContainerTxn.write(w, txn.txn);
      return;
    case 21:
      CreateTTLTxn.write(w, txn.txn);
      return;
    case 2:
    case 20:
      DeleteTxn.write(w, txn.txn);
      return;
    case 5:
    case 16:
      SetDataTxn.write(w, txn.txn);
      return;
    case 13:
      CheckVersionTxn.write(w, txn.txn);
      return;
    case 7:
      SetACLTxn.write(w, txn.txn);
      return;
    case -10:
      CreateSessionTxn.write(w, txn.txn);
      return;
    case -11:
      CloseSessionTxn.write(w, txn.txn);
      return;
    case -1:
      ErrorTxn.write(w, txn.txn);
      return;
    case 14: {
      const txns = txn.txn.txns;
      w.writeInt(txns.length);
      for (const sub of txns) {
        if (sub.type === 14) throw new JuteEncodeError('a multi txn cannot nest a multi txn');
        w.writeInt(sub.type);
        // Txn.data is a jute buffer: length placeholder, body, then patch the length.
        const lenAt = w.pos;
        w.writeInt(0);
        writeTxnBody(w, sub);
        w.setIntAt(lenAt, w.pos - lenAt - 4);
      }
      return;
    }
    default: {
      const never: never = txn;
      throw new JuteEncodeError(`unknown txn type ${(never as { type: number }).type}`);
    }
  }
}

/**
 * Reads the body record for txn type `type`. `r` must end where the body ends (for closeSession an
 * empty body, as written when zookeeper.closeSessionTxn.enabled=false or before 3.6, decodes as
 * `paths2Delete: []`). Buffers inside are views of the reader's bytes.
 */
export function readTxnBody(type: number, r: JuteReader): Txn {
  switch (type) {
    case 1: {
      // CreateTxnV0 (pre-3.3 logs) lacks parentCVersion; ZooKeeper reads it as -1.
      const path = r.readString('CreateTxn.path');
      const data = r.readBuffer('CreateTxn.data');
      const acl = r.readVector(ACL, 'CreateTxn.acl', 12);
      const ephemeral = r.readBool('CreateTxn.ephemeral');
      const parentCVersion = r.remaining >= 4 ? r.readInt('CreateTxn.parentCVersion') : -1;
      return { type: 1, txn: { path, data, acl, ephemeral, parentCVersion } };
    }
    case 15:
      return { type: 15, txn: CreateTxn.read(r) };
    case 19:
      return { type: 19, txn: CreateContainerTxn.read(r) };
    case 21:
      return { type: 21, txn: CreateTTLTxn.read(r) };
    case 2:
      return { type: 2, txn: DeleteTxn.read(r) };
    case 20:
      return { type: 20, txn: DeleteTxn.read(r) };
    case 5:
      return { type: 5, txn: SetDataTxn.read(r) };
    case 16:
      return { type: 16, txn: SetDataTxn.read(r) };
    case 13:
      return { type: 13, txn: CheckVersionTxn.read(r) };
    case 7:
      return { type: 7, txn: SetACLTxn.read(r) };
    case -10:
      return { type: -10, txn: CreateSessionTxn.read(r) };
    case -11:
      return { type: -11, txn: r.remaining === 0 ? { paths2Delete: [] } : CloseSessionTxn.read(r) };
    case -1:
      return { type: -1, txn: ErrorTxn.read(r) };
    case 14: {
      const n = r.readVectorLength('MultiTxn.txns', 8);
      const txns: Txn[] = new Array<Txn>(n);
      const sub = new JuteReader();
      sub.maxLength = r.maxLength;
      for (let i = 0; i < n; i++) {
        const subType = r.readInt('Txn.type');
        const typeAt = r.pos - 4;
        const data = r.readBuffer('Txn.data');
        if (subType === 14) throw new JuteDecodeError('a multi txn cannot nest a multi txn', 'Txn.type', typeAt);
        const bytes = data ?? EMPTY;
        sub.reset(bytes, 0, bytes.length);
        txns[i] = readTxnBody(subType, sub);
        sub.expectEnd(`Txn.data (type ${subType})`);
      }
      return { type: 14, txn: { txns } };
    }
    default:
      throw new JuteDecodeError(`unsupported txn type ${type}`, 'TxnHeader.type', r.pos);
  }
}

const EMPTY = new Uint8Array(0);

/** Writes a whole log entry (header, body, optional digest) into `w`. */
export function writeTxnEntry(w: JuteWriter, entry: TxnEntry): void {
  if (entry.header.type !== entry.txn.type) {
    throw new JuteEncodeError(`TxnHeader.type ${entry.header.type} does not match body type ${entry.txn.type}`);
  }
  TxnHeader.write(w, entry.header);
  writeTxnBody(w, entry.txn);
  if (entry.digest) TxnDigest.write(w, entry.digest);
}

let scratch = new JuteWriter(4096);

/** Serializes a log entry to fresh bytes, as ZooKeeper's Util.marshallTxnEntry does. */
export function encodeTxnEntry(entry: TxnEntry): Uint8Array {
  const w = scratch.reset();
  writeTxnEntry(w, entry);
  const out = w.finish();
  // Do not keep a huge scratch buffer alive after one large txn.
  if (w.capacity > 1 << 20) scratch = new JuteWriter(4096);
  return out;
}

const entryReader = new JuteReader();
const DEFAULT_FIELD_LIMIT = defaultMaxFieldLength();

export interface DecodeTxnOptions {
  /** Per-field length limit (see JuteReader). */
  maxLength?: number;
}

/**
 * Parses a log entry. Buffers in the result (znode data) are views of `bytes`: copy them if
 * `bytes` will be reused. A trailing TxnDigest is returned as `digest`.
 */
export function decodeTxnEntry(bytes: Uint8Array, options?: DecodeTxnOptions): TxnEntry {
  // One reader for every call (log replay decodes records back to back); nothing in the result
  // refers to it.
  const r = entryReader.reset(bytes);
  r.maxLength = options?.maxLength ?? DEFAULT_FIELD_LIMIT;
  try {
    const header = TxnHeader.read(r);
    const txn = readTxnBody(header.type, r);
    const entry: TxnEntry = { header, txn };
    if (r.remaining >= 12) entry.digest = TxnDigest.read(r);
    r.expectEnd('TxnEntry');
    return entry;
  } finally {
    r.detach();
  }
}

/** True for header types that carry a body this module understands. */
export function isTxnType(type: number): boolean {
  switch (type) {
    case OpCode.create:
    case OpCode.create2:
    case OpCode.createContainer:
    case OpCode.createTTL:
    case OpCode.delete:
    case OpCode.deleteContainer:
    case OpCode.setData:
    case OpCode.reconfig:
    case OpCode.check:
    case OpCode.setACL:
    case OpCode.createSession:
    case OpCode.closeSession:
    case OpCode.error:
    case OpCode.multi:
      return true;
    default:
      return false;
  }
}
