import { describe, expect, it } from 'vitest';
import { allCases } from '../../src/cases/index.js';
import { GROUPS } from '../../src/groups.js';
import { ZK_ENSEMBLE_CRASHES, zkEnsembleCrash } from '../../src/expected.js';

describe('case catalogue', () => {
  const cases = allCases();
  it('has hundreds of uniquely named cases in known settings groups', () => {
    expect(cases.length).toBeGreaterThan(1500);
    expect(new Set(cases.map((c) => c.name)).size).toBe(cases.length);
    for (const c of cases) expect(GROUPS[c.group ?? 'default'], c.name).toBeDefined();
  });
  it('covers every area', () => {
    for (const prefix of ['op/', 'path/', 'node/', 'seq/', 'stat/', 'data/', 'ephemeral/', 'container/', 'ttl/', 'acl/', 'multi/', 'multiRead/', 'watch/', 'setWatches/', 'session/', 'auth/', 'whoami/', 'special/', 'quota/', 'opcode/', 'frame/', 'jute/', '4lw/']) {
      expect(cases.some((c) => c.name.startsWith(prefix)), prefix).toBe(true);
    }
  });
  it('lists only existing cases as breaking a ZooKeeper ensemble', () => {
    const names = cases.map((c) => c.name);
    for (const e of ZK_ENSEMBLE_CRASHES) expect(names.some((n) => e.cases.test(n)), e.reason).toBe(true);
    expect(zkEnsembleCrash('op/check/existing')).toMatch(/standalone check/);
    expect(zkEnsembleCrash('op/check/missing')).toBeNull(); // a failing check is answered
    expect(zkEnsembleCrash('path/multi-delete/null')).toMatch(/null path/);
    expect(zkEnsembleCrash('path/multiRead-getData/null')).toBeNull();
  });
});
