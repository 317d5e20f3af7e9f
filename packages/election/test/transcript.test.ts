import { readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runTranscript } from './transcript.js';

const dir = join(dirname(fileURLToPath(import.meta.url)), 'testdata');
const files = readdirSync(dir).filter((f) => f.endsWith('.txt')).sort();
const update = process.env['UPDATE'] === '1';

describe('transcripts (test/testdata/*.txt; UPDATE=1 rewrites the goldens)', () => {
  it('has transcripts', () => {
    expect(files.length).toBeGreaterThanOrEqual(4);
  });
  for (const f of files) {
    it(f, () => {
      const path = join(dir, f);
      const [expected, actual] = runTranscript(path);
      if (update && actual !== expected) writeFileSync(path, actual);
      else expect(actual).toBe(expected);
    });
  }
});
