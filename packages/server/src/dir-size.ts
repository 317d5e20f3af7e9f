import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Total bytes of the regular files directly in `dir` (0 if it does not exist), for `conf` / `dirs`. */
export function dirSize(dir: string | undefined): number {
  if (dir === undefined) return 0;
  let total = 0;
  try {
    for (const name of readdirSync(dir)) {
      const s = statSync(join(dir, name), { throwIfNoEntry: false });
      if (s?.isFile()) total += s.size;
    }
  } catch {
    return 0;
  }
  return total;
}
