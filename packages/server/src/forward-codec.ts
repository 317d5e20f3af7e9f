import { Id, JuteReader, JuteWriter, OpCode, requestCodec, type Codec } from '@zk/protocol';
import type { Request } from './request.js';

/**
 * What a learner sends its leader inside a ZAB REQUEST (ZooKeeper's Learner.request): a client
 * write to prepare and propose, or a claim that a session now lives on this server (the effect of
 * ZooKeeper's REVALIDATE on the leader's owner table). Both travel the same FIFO link, so a claim
 * is seen before any write the client sends after moving.
 */
export type Forwarded =
  | {
      kind: 'write';
      sessionId: bigint;
      xid: number;
      type: number;
      /** Undefined: the client's body could not be decoded (answered MARSHALLINGERROR, in order). */
      body: unknown;
      authIds: Id[];
    }
  | { kind: 'owner'; sessionId: bigint; timeoutMs: number };

const WRITE = 1;
const OWNER = 2;

export function encodeForwardedWrite(req: Request, authIds: readonly Id[]): Uint8Array {
  const w = new JuteWriter(256);
  w.writeByte(WRITE);
  w.writeLong(req.sessionId);
  w.writeInt(req.xid);
  w.writeInt(req.type);
  w.writeInt(authIds.length);
  for (const id of authIds) Id.write(w, id);
  w.writeBool(req.body !== undefined);
  if (req.body !== undefined) writeBody(w, req.type, req.body);
  return w.finish();
}

export function encodeOwnerClaim(sessionId: bigint, timeoutMs: number): Uint8Array {
  const w = new JuteWriter(16);
  w.writeByte(OWNER);
  w.writeLong(sessionId);
  w.writeInt(timeoutMs);
  return w.finish();
}

/** Throws a jute decode error on bytes no learner of ours wrote. */
export function decodeForwarded(bytes: Uint8Array): Forwarded {
  const r = new JuteReader(bytes);
  const kind = r.readByte('kind');
  if (kind === OWNER) return { kind: 'owner', sessionId: r.readLong('sessionId'), timeoutMs: r.readInt('timeout') };
  if (kind !== WRITE) throw new RangeError(`unknown forwarded request kind ${kind}`);
  const sessionId = r.readLong('sessionId');
  const xid = r.readInt('xid');
  const type = r.readInt('type');
  const n = r.readVectorLength('authIds');
  const authIds: Id[] = [];
  for (let i = 0; i < n; i++) authIds.push(Id.read(r));
  const body = r.readBool('hasBody') ? readBody(r, type) : undefined;
  return { kind: 'write', sessionId, xid, type, body, authIds };
}

// The server-internal opcodes have no jute request record of their own.
function writeBody(w: JuteWriter, type: number, body: unknown): void {
  switch (type) {
    case OpCode.createSession:
      w.writeInt((body as { timeOut: number }).timeOut);
      return;
    case OpCode.closeSession:
      return;
    case OpCode.deleteContainer:
      w.writeString((body as { path: string }).path);
      return;
    default:
      codecOf(type).write(w, body);
  }
}

function readBody(r: JuteReader, type: number): unknown {
  switch (type) {
    case OpCode.createSession:
      return { timeOut: r.readInt('timeOut') };
    case OpCode.closeSession:
      return null;
    case OpCode.deleteContainer:
      return { path: r.readString('path') };
    default:
      return codecOf(type).read(r);
  }
}

function codecOf(type: number): Codec<unknown> {
  const codec = requestCodec(type);
  if (codec === undefined || codec === null) throw new RangeError(`opcode ${type} cannot be forwarded`);
  return codec;
}

/** Session touches on a PING reply: (id, timeout) pairs a learner saw traffic for since the last one. */
export function encodeTouches(touched: ReadonlyMap<bigint, number>): Uint8Array {
  const w = new JuteWriter(4 + touched.size * 12);
  w.writeInt(touched.size);
  for (const [id, timeoutMs] of touched) {
    w.writeLong(id);
    w.writeInt(timeoutMs);
  }
  return w.finish();
}

export function decodeTouches(bytes: Uint8Array): Array<[bigint, number]> {
  const r = new JuteReader(bytes);
  const n = r.readVectorLength('touches', 12);
  const out: Array<[bigint, number]> = [];
  for (let i = 0; i < n; i++) out.push([r.readLong('sessionId'), r.readInt('timeout')]);
  return out;
}
