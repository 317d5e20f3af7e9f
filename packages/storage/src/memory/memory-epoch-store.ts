import { StorageClosedError } from '../errors.js';
import type { EpochStore } from '../epoch-store.js';
import type { MemoryDisk } from './memory-disk.js';

export class MemoryEpochStore implements EpochStore {
  closed = false;

  constructor(
    private readonly disk: MemoryDisk,
    private readonly generation: number,
  ) {}

  acceptedEpoch(): number | undefined {
    return this.disk.acceptedEpoch;
  }

  currentEpoch(): number | undefined {
    return this.disk.currentEpoch;
  }

  async setAcceptedEpoch(epoch: number): Promise<void> {
    checkEpoch(epoch);
    if (this.closed) throw new StorageClosedError('setAcceptedEpoch');
    await this.disk.persist('epoch', this.generation, 'setAcceptedEpoch');
    this.disk.acceptedEpoch = epoch;
  }

  async setCurrentEpoch(epoch: number): Promise<void> {
    checkEpoch(epoch);
    if (this.closed) throw new StorageClosedError('setCurrentEpoch');
    await this.disk.persist('epoch', this.generation, 'setCurrentEpoch');
    this.disk.currentEpoch = epoch;
  }
}

/** Epochs are the high 32 bits of a zxid. */
export function checkEpoch(epoch: number): void {
  if (!Number.isInteger(epoch) || epoch < 0 || epoch > 0xffff_ffff) throw new RangeError(`epoch out of range: ${epoch}`);
}
