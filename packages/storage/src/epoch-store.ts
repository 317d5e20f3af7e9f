/**
 * ZAB's two durable epochs (ZooKeeper's `acceptedEpoch` and `currentEpoch` files).
 *
 * Getters are synchronous: values are loaded when the storage opens. They return `undefined`
 * when the value was never written, leaving it to the server to decide (ZooKeeper derives a
 * missing currentEpoch from the last logged zxid). A setter's promise resolves only once the
 * value is durable; if it rejects, the getter may return either value, and so may a restart.
 * The getter reflects a set as soon as it resolves.
 */
export interface EpochStore {
  acceptedEpoch(): number | undefined;
  currentEpoch(): number | undefined;
  setAcceptedEpoch(epoch: number): Promise<void>;
  setCurrentEpoch(epoch: number): Promise<void>;
}
