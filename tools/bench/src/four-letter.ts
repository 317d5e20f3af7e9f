// The `srvr` packet counter, for a server-side cross-check of the load generator's counts (the
// four-letter word itself is sent with @zk/testkit's fourLetterWord).

/** The "Received: N" packet counter of a `srvr` answer (ZooKeeper and zk-ts print it alike). */
export function receivedFromSrvr(text: string): number {
  const m = /^Received:\s*(\d+)/m.exec(text);
  return m ? Number(m[1]) : Number.NaN;
}
