/**
 * Scenario transcripts: test/testdata/*.txt, replayed and compared with their
 * golden output. `UPDATE=1 npx vitest run` rewrites the goldens.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runTranscript } from './harness/transcript.js';

const dir = join(import.meta.dirname, 'testdata');
const update = process.env['UPDATE'] === '1';

describe('transcripts', () => {
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.txt')).sort()) {
    it(file, () => {
      const path = join(dir, file);
      const text = readFileSync(path, 'utf8');
      const actual = runTranscript(text);
      if (update) {
        if (actual !== text) writeFileSync(path, actual);
        return;
      }
      expect(actual).toBe(text);
    });
  }
});
