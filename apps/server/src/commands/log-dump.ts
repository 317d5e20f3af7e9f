import { CorruptLogError, isStorageError } from '@zk/storage';
import { readLogFile, readLogFileHeader } from '@zk/storage-file';
import { decodeTxnEntry } from '@zk/protocol';
import { EXIT_FAILED, EXIT_OK, type Command } from '../command.js';
import { OutputBuffer, entryJson, hex, txnLine } from './dump-format.js';

export const logDumpCommand: Command = {
  name: 'log-dump',
  summary: 'print the transactions of a txn log file (like zkTxnLogToolkit)',
  description: [
    'Prints every transaction of one log segment (a log.<zxid> file in <dataLogDir>/zkts-v1),',
    'one line each: zxid, time, session, cxid, type, path and a short summary of the txn.',
    'With --json, one JSON object per line instead (zxids and sessions as 0x hex, data as text',
    'or base64). Reads the file only; a running server is not disturbed.',
    '',
    'A damaged record stops the dump with an error naming the file and the byte offset, after',
    'the records before it were printed.',
    '',
    'Exit codes: 0 the whole file was read, 1 unreadable or damaged, 2 bad arguments.',
  ].join('\n'),
  positionals: [{ name: 'FILE', optional: false, description: 'a log segment, e.g. data/zkts-v1/log.100000001' }],
  options: {
    json: { type: 'boolean', description: 'one JSON object per txn' },
    limit: { type: 'string', valueName: 'n', description: 'stop after n txns' },
  },
  async run({ rt }, args) {
    const file = args.positionals[0]!;
    const json = args.options['json'] === true;
    const limitOpt = args.options['limit'];
    const limit = typeof limitOpt === 'string' && /^\d+$/.test(limitOpt) ? Number(limitOpt) : Number.POSITIVE_INFINITY;
    const out = new OutputBuffer(rt.stdout);
    let count = 0;
    try {
      const header = await readLogFileHeader(file);
      if (json) out.line(JSON.stringify({ file, formatVersion: header.version, prevZxid: hex(header.prevZxid) }));
      else out.line(`zk-ts txn log ${file}: format version ${header.version}, previous zxid ${hex(header.prevZxid)}`);
      for await (const rec of readLogFile(file)) {
        if (count >= limit) break;
        let line: string;
        try {
          const e = decodeTxnEntry(rec.record);
          line = json ? JSON.stringify(entryJson(e, rec.offset)) : txnLine(e);
        } catch (err) {
          // The frame's CRC was right, so the bytes are what was logged; say what we cannot decode.
          const reason = err instanceof Error ? err.message : String(err);
          line = json
            ? JSON.stringify({ zxid: hex(rec.zxid), offset: rec.offset, undecodable: reason })
            : `${hex(rec.zxid)} <undecodable txn at offset ${rec.offset}: ${reason}>`;
        }
        out.line(line);
        count++;
      }
    } catch (err) {
      out.flush();
      if (err instanceof CorruptLogError || isStorageError(err)) {
        rt.stderr(`zkserver log-dump: ${(err as Error).message}\n`);
      } else {
        const e = err as NodeJS.ErrnoException;
        rt.stderr(`zkserver log-dump: cannot read ${file}: ${e.code === 'ENOENT' ? 'no such file' : e.message}\n`);
      }
      if (!json) rt.stderr(`(${count} txns printed before the error)\n`);
      return EXIT_FAILED;
    }
    if (!json) out.line(`EOF reached after ${count} txns.`);
    out.flush();
    return EXIT_OK;
  },
};
