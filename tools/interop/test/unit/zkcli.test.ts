import { describe, expect, it } from 'vitest';
import { splitCliOutput } from '../../src/zkcli.js';

describe('zkCli output splitting', () => {
  it('cuts at the version lines and drops start-up noise', () => {
    const raw = [
      'SLF4J: Failed to load class "org.slf4j.impl.StaticLoggerBinder".',
      'Connecting to 127.0.0.1:1234',
      'Welcome to ZooKeeper!',
      'JLine support is disabled',
      '',
      'WATCHER::',
      '',
      'WatchedEvent state:SyncConnected type:None path:null',
      'Created /a',
      'ZooKeeper CLI version: 3.8.0-abc, built on 2024',
      'Node already exists: /a',
      'ZooKeeper CLI version: 3.8.0-abc, built on 2024',
      'WATCHER::',
      'WatchedEvent state:SyncConnected type:NodeDataChanged path:/a',
      'ZooKeeper CLI version: 3.8.0-abc, built on 2024',
      'WatchedEvent state:Closed type:None path:null',
    ].join('\n');
    expect(splitCliOutput(raw, 3)).toEqual(['Created /a', 'Node already exists: /a', 'WatchedEvent state:SyncConnected type:NodeDataChanged path:/a']);
  });
});
