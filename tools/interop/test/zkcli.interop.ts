// zkCli.sh (Apache ZooKeeper 3.8's Java CLI) against the target server: every command family,
// checked on the text it prints.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTarget, type Target } from '../src/target.js';
import { zkCli, zkCliAvailable } from '../src/zkcli.js';

type Check = ((out: string) => void) & { eventual?: boolean };
type Step = [command: string, check: Check];

const has = (...needles: Array<string | RegExp>) => (out: string) => {
  for (const n of needles) {
    if (typeof n === 'string') expect(out).toContain(n);
    else expect(out).toMatch(n);
  }
};
const empty = (out: string) => expect(out.trim()).toBe('');
/**
 * Watch events are printed by zkCli's event thread, so one may land after the next command's
 * output: check this command's output together with everything printed after it.
 */
const event = (...needles: Array<string | RegExp>): Check => Object.assign(has(...needles), { eventual: true });

describe.skipIf(!zkCliAvailable())('zkCli.sh', () => {
  let server: Target;
  beforeAll(async () => {
    server = await startTarget();
  }, 90_000);
  afterAll(async () => {
    await server?.stop();
  });

  async function script(steps: Step[]): Promise<void> {
    const r = await zkCli(server.connectString, steps.map((s) => s[0]));
    steps.forEach(([cmd, check], i) => {
      const out = check.eventual ? [...r.outputs.slice(i), r.tail].join('\n') : (r.outputs[i] ?? '<missing>');
      try {
        check(out);
      } catch (e) {
        throw new Error(`command ${i + 1} \`${cmd}\` printed:\n${out}\n--- whole session ---\n${r.raw}\n--- ${(e as Error).message}`);
      }
    });
  }

  it('create in every mode, ls, get, stat', async () => {
    await script([
      ['create /cli', has('Created /cli')],
      ['create /cli/a hello', has('Created /cli/a')],
      ['create -s /cli/s- seq', has(/Created \/cli\/s-\d{10}/)],
      ['create -e /cli/e eph', has('Created /cli/e')],
      ['create -e -s /cli/es- eph', has(/Created \/cli\/es-\d{10}/)],
      ['create -c /cli/c', has('Created /cli/c')],
      ['create -t 600000 /cli/t ttl', has('Created /cli/t')],
      ['create /cli/a again', has('Node already exists: /cli/a')],
      ['create /cli/missing/x', has('Node does not exist: /cli/missing/x')],
      ['create -e /cli/e/child', has(/Ephemerals cannot have children: \/cli\/e\/child/)],
      ['ls /cli', has(/^\[.*\]$/m, 'a', 'c', 'e', 't', /s-\d{10}/, /es-\d{10}/)],
      ['ls -s /cli', has('numChildren = 6', 'cversion = 6', 'dataLength = 0')],
      ['ls -R /cli', has('/cli', '/cli/a', '/cli/c', '/cli/e', '/cli/t')],
      ['get /cli/a', has(/^hello$/m)],
      ['get -s /cli/a', has(/^hello$/m, 'dataVersion = 0', 'dataLength = 5', 'numChildren = 0', 'ephemeralOwner = 0x0')],
      ['stat /cli/e', has(/ephemeralOwner = 0x[0-9a-f]+/, 'dataLength = 3')],
      // Containers and TTL nodes are marked in the server's stat, but clients are shown 0.
      ['stat /cli/c', has('ephemeralOwner = 0x0')],
      ['stat /cli/t', has('ephemeralOwner = 0x0')],
      ['stat /cli/nope', has('Node does not exist: /cli/nope')],
      ['get /cli/nope', has('Node does not exist: /cli/nope')],
    ]);
  });

  it('set, versions, delete, deleteall', async () => {
    await script([
      ['create /cli2 v0', has('Created /cli2')],
      ['set /cli2 v1', empty],
      ['set -s /cli2 v2', has('dataVersion = 2', 'dataLength = 2')],
      ['set -v 1 /cli2 stale', has('version No is not valid : /cli2')],
      ['set -v 2 /cli2 v3', empty],
      ['get /cli2', has(/^v3$/m)],
      ['create /cli2/x', has('Created /cli2/x')],
      ['create /cli2/x/y', has('Created /cli2/x/y')],
      ['delete /cli2', has('Node not empty: /cli2')],
      ['delete -v 9 /cli2/x/y', has('version No is not valid : /cli2/x/y')],
      ['delete /cli2/nope', has('Node does not exist: /cli2/nope')],
      ['delete /cli2/x/y', empty],
      ['create /cli2/x/y2', has('Created /cli2/x/y2')],
      ['deleteall /cli2', empty],
      ['stat /cli2', has('Node does not exist: /cli2')],
    ]);
  });

  it('ACLs: world and digest, addauth, whoami', async () => {
    await script([
      ['create /acl data', has('Created /acl')],
      ['getAcl /acl', has("'world,'anyone", ': cdrwa')],
      ['setAcl /acl world:anyone:r', empty],
      ['getAcl /acl', has("'world,'anyone", /^: r$/m)],
      ['set /acl nope', has(/Insufficient permission : \/acl|NoAuth/)],
      ['get /acl', has(/^data$/m)],
      ['whoami', has('Auth scheme: User', 'ip: 127.0.0.1')],
      ['addauth digest alice:secret', empty],
      ['whoami', has('digest: alice', 'ip: 127.0.0.1')],
      ['create /acl2 x auth:alice:secret:cdrwa', has('Created /acl2')],
      ['getAcl /acl2', has("'digest,'alice:", ': cdrwa')],
      ['setAcl -s /acl2 digest:bob:Yo6nSrXDm4bVc1pUcVqGCsmDNiE=:r,auth:alice:secret:cdrwa', has('aclVersion = 1')],
      ['getAcl /acl2', has("'digest,'bob:Yo6nSrXDm4bVc1pUcVqGCsmDNiE=", "'digest,'alice:")],
      ['get /acl2', has(/^x$/m)],
      ['setAcl /acl world:anyone:cdrwa', has(/Insufficient permission : \/acl|NoAuth/)],
    ]);
  });

  it('watches: get -w, ls -w, addWatch (persistent recursive and persistent)', async () => {
    await script([
      ['create /w d', has('Created /w')],
      ['get -w /w', has(/^d$/m)],
      ['set /w d2', event('WatchedEvent state:SyncConnected type:NodeDataChanged path:/w')],
      ['ls -w /w', has('[]')],
      ['create /w/c', event('WatchedEvent state:SyncConnected type:NodeChildrenChanged path:/w', 'Created /w/c')],
      ['addWatch /w', () => undefined],
      ['create /w/c/deep', event('WatchedEvent state:SyncConnected type:NodeCreated path:/w/c/deep')],
      ['set /w/c/deep x', event('WatchedEvent state:SyncConnected type:NodeDataChanged path:/w/c/deep')],
      ['addWatch -m PERSISTENT /w/c', () => undefined],
      ['delete /w/c/deep', event('type:NodeDeleted path:/w/c/deep')],
      ['removewatches /w/c -a', event('WatchedEvent state:SyncConnected type:PersistentWatchRemoved path:/w/c')],
      ['stat -w /w', has('cZxid = ')],
      ['delete /w/c', event('type:NodeDeleted path:/w/c')],
    ]);
  });

  it('sync, getAllChildrenNumber, getEphemerals', async () => {
    await script([
      ['create /m', has('Created /m')],
      ['create /m/a', has('Created /m/a')],
      ['create /m/a/b', has('Created /m/a/b')],
      ['create -e /m/e1', has('Created /m/e1')],
      ['create -e /m/a/e2', has('Created /m/a/e2')],
      ['sync /m', has('Sync is OK')],
      ['getAllChildrenNumber /m', has(/^4$/m)],
      ['getAllChildrenNumber /m/a/b', has(/^0$/m)],
      ['getEphemerals /m', has('/m/e1', '/m/a/e2')],
      ['getEphemerals /m/a', has('/m/a/e2')],
    ]);
  });

  it('quotas: setquota, listquota, delquota', async () => {
    await script([
      ['create /q', has('Created /q')],
      ['setquota -n 3 /q', empty],
      ['listquota /q', has('absolute path is /zookeeper/quota/q/zookeeper_limits', /count=3,bytes=-1/)],
      ['create /q/a', has('Created /q/a')],
      ['listquota /q', has(/Output stat for \/q count=2,bytes=0/)],
      ['setquota -b 100 /q', empty],
      ['listquota /q', has(/count=3,bytes=100/)],
      ['get /zookeeper/quota/q/zookeeper_limits', has(/count=3,bytes=100/)],
      ['delquota -n /q', empty],
      ['listquota /q', has(/count=-1,bytes=100/)],
      ['delquota /q', empty],
      ['listquota /q', has(/quota for \/q does not exist/)],
    ]);
  });

  it('the /zookeeper subtree', async () => {
    await script([
      ['ls /zookeeper', has('config', 'quota')],
      ['get /zookeeper/config', () => undefined],
      ['stat /zookeeper', has('cZxid = 0x0', 'ctime = Thu Jan 01')],
    ]);
  });
});
