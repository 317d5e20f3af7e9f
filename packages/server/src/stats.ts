/** Request counters and latency as the `srvr` / `stat` / `mntr` words report them. */
export class ServerStats {
  packetsReceived = 0;
  packetsSent = 0;
  bytesReceived = 0;
  authFailed = 0;
  connectionRejected = 0;
  sessionlessConnectionsExpired = 0;
  private latencyMin = Number.MAX_SAFE_INTEGER;
  private latencyMax = 0;
  private latencyTotal = 0;
  private latencyCount = 0;

  recordLatency(ms: number): void {
    if (ms < this.latencyMin) this.latencyMin = ms;
    if (ms > this.latencyMax) this.latencyMax = ms;
    this.latencyTotal += ms;
    this.latencyCount++;
  }

  get minLatency(): number {
    return this.latencyCount === 0 ? 0 : this.latencyMin;
  }
  get maxLatency(): number {
    return this.latencyMax;
  }
  /** Average as ZooKeeper prints it: one decimal place. */
  get avgLatency(): string {
    return this.latencyCount === 0 ? '0.0' : (this.latencyTotal / this.latencyCount).toFixed(1);
  }

  reset(): void {
    this.packetsReceived = 0;
    this.packetsSent = 0;
    this.latencyMin = Number.MAX_SAFE_INTEGER;
    this.latencyMax = 0;
    this.latencyTotal = 0;
    this.latencyCount = 0;
  }
}
