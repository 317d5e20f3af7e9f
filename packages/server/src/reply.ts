import { JuteWriter, writeNotification, type Codec, type WatcherEvent } from '@zk/protocol';

/**
 * Encodes length-prefixed reply frames into one reused writer and hands out an owned copy,
 * because a transport takes ownership of what it is given.
 */
export class ReplyEncoder {
  private readonly w = new JuteWriter(4096);

  frame<T>(xid: number, zxid: bigint, err: number, codec?: Codec<T>, body?: T): Uint8Array {
    const w = this.w.reset();
    w.writeInt(0);
    w.writeInt(xid);
    w.writeLong(zxid);
    w.writeInt(err);
    if (codec !== undefined && body !== undefined) codec.write(w, body);
    w.setIntAt(0, w.length - 4);
    return w.finish();
  }

  /** A frame whose body is written by `fill` (multi responses and other composite bodies). */
  frameWith(xid: number, zxid: bigint, err: number, fill: (w: JuteWriter) => void): Uint8Array {
    const w = this.w.reset();
    w.writeInt(0);
    w.writeInt(xid);
    w.writeLong(zxid);
    w.writeInt(err);
    fill(w);
    w.setIntAt(0, w.length - 4);
    return w.finish();
  }

  /** A watch notification (xid -1). */
  notification(event: WatcherEvent): Uint8Array {
    const w = this.w.reset();
    writeNotification(w, event);
    return w.finish();
  }

  /** A bare record frame without a ReplyHeader (the ConnectResponse). */
  record<T>(codec: Codec<T>, body: T): Uint8Array {
    const w = this.w.reset();
    w.writeInt(0);
    codec.write(w, body);
    w.setIntAt(0, w.length - 4);
    return w.finish();
  }
}
