import storageCompliance from '../src/compliance/index.js';
import { type MemoryStorage, memoryStorage } from '../src/index.js';

const quiet = { warn: () => undefined };

storageCompliance({
  name: 'memory',
  open: () => memoryStorage({ logger: quiet }),
  reopen: (previous) => (previous as MemoryStorage).reopen(),
  crash: async (previous) => (previous as MemoryStorage).crash(),
  crashTearing: async (previous) => (previous as MemoryStorage).crash({ tearLastUnsynced: true }),
  corruptRecord: async (previous, zxid) => {
    const s = previous as MemoryStorage;
    s.corruptRecord(zxid);
    return s.reopen();
  },
  corruptSnapshot: async (previous, info) => {
    const s = previous as MemoryStorage;
    s.corruptSnapshot(info.zxid);
    return s.reopen();
  },
  failNextLogSync: (storage, code) =>
    (storage as MemoryStorage).failNextSync(Object.assign(new Error(`${code} (injected)`), { code })),
});
