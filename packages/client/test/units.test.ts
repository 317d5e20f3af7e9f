// Pure pieces: connect strings, path rules, error classes, watch bookkeeping, the ring buffer.

import { describe, expect, it } from 'vitest';
import { parseConnectString, pathProblem, zooKeeperError, isZooKeeperError, NoNodeError, ZooKeeperError, NoWatcherError } from '../src/index.js';
import { Fifo } from '../src/fifo.js';
import { WatchManager } from '../src/watch-manager.js';
import { HostProvider } from '../src/host-provider.js';

describe('connect strings', () => {
  it('parses hosts, default ports, IPv6 and the chroot', () => {
    expect(parseConnectString('a:1,b,[::1]:3/app/x')).toEqual({
      hosts: [{ host: 'a', port: 1 }, { host: 'b', port: 2181 }, { host: '::1', port: 3 }],
      chroot: '/app/x',
    });
    expect(parseConnectString('h:2181/').chroot).toBe('');
    expect(() => parseConnectString('/app')).toThrow('A HostProvider may not be empty!');
    expect(() => parseConnectString('h:1/app/')).toThrow(/chroot/);
    expect(() => parseConnectString('h:99999')).toThrow(/port/);
  });

  it('shuffles hosts with the injected random and walks them round-robin', () => {
    const hosts = [1, 2, 3, 4].map((p) => ({ host: 'h', port: p }));
    const hp = new HostProvider(hosts, () => 0);
    const order = [hp.next(), hp.next(), hp.next(), hp.next(), hp.next()];
    expect(new Set(order.slice(0, 4).map((o) => o.address.port)).size).toBe(4);
    expect(order.map((o) => o.cycled)).toEqual([false, false, false, false, true]);
    hp.onConnected();
    expect(hp.next().cycled).toBe(false);
  });
});

describe('path rules (PathUtils.validatePath)', () => {
  it('accepts valid paths and explains invalid ones as Java does', () => {
    expect(pathProblem('/')).toBeUndefined();
    expect(pathProblem('/a/b.c/..d')).toBeUndefined();
    expect(pathProblem('')).toBe('Path length must be > 0');
    expect(pathProblem('/a/./b')).toBe('Invalid path string "/a/./b" caused by relative paths not allowed @3');
    expect(pathProblem('/a/..')).toBe('Invalid path string "/a/.." caused by relative paths not allowed @4');
    expect(pathProblem('/a\u0000')).toBe('Invalid path string "/a\u0000" caused by null character not allowed @2');
    expect(pathProblem('/a\u0001')).toBe('Invalid path string "/a\u0001" caused by invalid character @2');
    expect(pathProblem('/seq/', true)).toBeUndefined();
  });
});

describe('errors', () => {
  it('maps codes to classes and recognises them by brand', () => {
    const e = zooKeeperError(-101, '/x', 'getData');
    expect(e).toBeInstanceOf(NoNodeError);
    expect(e.name).toBe('NoNodeError');
    expect(e.codeName).toBe('NONODE');
    expect(isZooKeeperError(e)).toBe(true);
    expect(isZooKeeperError(e, -101)).toBe(true);
    expect(isZooKeeperError(e, 'BADVERSION')).toBe(false);
    expect(isZooKeeperError(new Error('x'))).toBe(false);
    // A copy from another package instance carries the same global brand.
    const foreign = Object.assign(new Error('x'), { code: -101, [Symbol.for('@zk/client/ZooKeeperError')]: true });
    expect(isZooKeeperError(foreign, 'NONODE')).toBe(true);
    const unknown = zooKeeperError(-999);
    expect(unknown).toBeInstanceOf(ZooKeeperError);
    expect(unknown.message).toBe('KeeperErrorCode = Unknown error -999');
  });
});

describe('watch bookkeeping (ZKWatchManager)', () => {
  const w1 = (): void => {};
  const w2 = (): void => {};

  it('materializes one-shot watches once and persistent ones every time', () => {
    const m = new WatchManager(undefined);
    m.add('data', '/a', w1);
    m.add('exist', '/a', w2);
    m.add('child', '/a', w1);
    m.add('persistent', '/a', w2);
    m.add('persistentRecursive', '/', w1);
    expect([...m.materialize('SyncConnected', 'NodeDataChanged', '/a')]).toEqual([w1, w2]);
    expect(m.data.size + m.exist.size).toBe(0);
    expect([...m.materialize('SyncConnected', 'NodeChildrenChanged', '/a')]).toEqual([w1, w2]);
    expect(m.child.size).toBe(0);
    // Recursive watches never see child events; they see everything else below them.
    expect([...m.materialize('SyncConnected', 'NodeChildrenChanged', '/b')]).toEqual([]);
    expect([...m.materialize('SyncConnected', 'NodeCreated', '/b/c/d')]).toEqual([w1]);
    expect([...m.materialize('Disconnected', 'None', null)]).toEqual([w2, w1]);
  });

  it('removes by type, locally or after the server agreed', () => {
    const m = new WatchManager(undefined);
    m.add('data', '/a', w1);
    m.add('child', '/a', w2);
    expect(() => m.remove('/a', w2, 'Data', false, 0)).toThrow(NoWatcherError);
    expect(() => m.remove('/a', w1, 'Data', false, -4)).toThrow(/ConnectionLoss/);
    const removed = m.remove('/a', w1, 'Data', true, -4);
    expect([...removed.data]).toEqual([w1]);
    expect([...m.remove('/a', undefined, 'Any', false, 0).child]).toEqual([w2]);
    expect(m.isEmpty).toBe(true);
  });
});

describe('Fifo', () => {
  it('keeps order across growth and wrap-around', () => {
    const f = new Fifo<number>(2);
    const out: number[] = [];
    for (let i = 0; i < 100; i++) {
      f.push(i);
      if (i % 3 === 0) out.push(f.shift()!);
    }
    out.push(...f.drain());
    expect(out).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(f.length).toBe(0);
  });
});
