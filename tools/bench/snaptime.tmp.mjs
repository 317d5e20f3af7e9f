import { fileStorage } from '@zk/storage-file';
import { DataTree } from '@zk/datatree';
import { decodeTxnEntry } from '@zk/protocol';
const dataDir = process.argv[2];
let t = performance.now();
const st = await fileStorage({ dataDir, logger: { warn() {}, info() {}, error() {}, debug() {} } });
console.log('open storage', (performance.now() - t).toFixed(0), 'ms');
t = performance.now();
const plan = await st.recoveryPlan();
console.log('recoveryPlan', (performance.now() - t).toFixed(0), 'ms');
t = performance.now();
const chunks = [];
for await (const c of st.snapshots.open(plan.snapshot)) chunks.push(c);
const buf = Buffer.concat(chunks);
console.log('read snapshot', buf.length, (performance.now() - t).toFixed(0), 'ms');
t = performance.now();
const { tree } = DataTree.fromSnapshot(buf, { extendedTypesEnabled: false, digestEnabled: true });
console.log('fromSnapshot', tree.nodeCount, (performance.now() - t).toFixed(0), 'ms');
t = performance.now();
let n = 0;
for await (const rec of st.txnLog.read(plan.replayFrom)) { tree.apply(decodeTxnEntry(rec.record)); n++; }
console.log('replay', n, (performance.now() - t).toFixed(0), 'ms');
for (let i = 0; i < 2; i++) {
  t = performance.now();
  const bytes = tree.serializeSnapshot(new Map());
  let size = 0;
  if (bytes instanceof Uint8Array) size = bytes.length; else for (const c of bytes) size += c.length;
  console.log('serializeSnapshot', tree.nodeCount, size, (performance.now() - t).toFixed(0), 'ms');
}
await st.close?.();
