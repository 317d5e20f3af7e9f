// The command processor (zkCli.sh's ZooKeeperMain): one client, the command table, history,
// watch printing, and the text / JSON output of each command.

import { createClient, type ClientOptions, type WatchedEvent, type Watcher, type ZooKeeperClient } from '@zk/client';
import { CliError, toCliError } from './cli-error.js';
import { SESSION_COMMANDS, SHELL_COMMANDS, allUsages, usageOf, type Output } from './commands/index.js';
import { parseFlags } from './flags.js';
import { eventString } from './format.js';
import { tokenize } from './tokenize.js';
import { VERSION_LINE } from './version.js';

export interface ShellOptions {
  /** Connect string ("host:port[,host:port][/chroot]"). */
  readonly server: string;
  readonly timeoutMs: number;
  readonly readOnly: boolean;
  readonly json: boolean;
  /** Print session events (SyncConnected...) too; the interactive shell does, one-shot mode does not. */
  readonly printSessionEvents: boolean;
  /** Writes one chunk of text to stdout / stderr. */
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** Writes an event while the user may be typing (the interactive shell redraws its prompt). */
  readonly printAsync?: (text: string) => void;
  /** Extra client options (tests pass a transport). */
  readonly clientOptions?: ClientOptions;
}

export class Shell {
  zk: ZooKeeperClient | undefined;
  host: string;
  printWatches = true;
  commandCount = 0;
  /** The exit code of the last command (0 = success). */
  exitCode = 0;
  /** Set by `quit`. */
  quitRequested = false;
  readonly history = new Map<number, string>();
  private readonly watcher: Watcher;

  constructor(private readonly options: ShellOptions) {
    this.host = options.server;
    this.watcher = (event: WatchedEvent) => this.onEvent(event);
  }

  /** ZooKeeperMain.connectToZK: closes the current session and starts a new one. */
  connect(host = this.host): ZooKeeperClient {
    const old = this.zk;
    if (old !== undefined && old.state !== 'CLOSED' && old.state !== 'AUTH_FAILED') void old.close();
    this.host = host;
    this.zk = createClient(host, {
      sessionTimeoutMs: this.options.timeoutMs,
      canBeReadOnly: this.options.readOnly,
      watcher: this.watcher,
      ...this.options.clientOptions,
    });
    return this.zk;
  }

  get prompt(): string {
    return `[zk: ${this.host}(${this.zk?.state ?? 'CLOSED'}) ${this.commandCount}] `;
  }

  private onEvent(event: WatchedEvent): void {
    if (!this.printWatches || this.options.json) return;
    if (event.type === 'None' && !this.options.printSessionEvents) return;
    const text = `\nWATCHER::\n\n${eventString(event)}\n`;
    (this.options.printAsync ?? this.options.stdout)(text);
  }

  private usage(): void {
    const lines = ['zkcli -server host:port [-timeout ms] [-r] [--json] cmd args'];
    for (const [name, usage] of allUsages()) lines.push(`\t${name} ${usage}`);
    this.options.stderr(lines.join('\n') + '\n');
  }

  /** Runs one line typed at the prompt (empty lines are ignored, as zkCli.sh does). */
  async executeLine(line: string): Promise<void> {
    if (line.trim() === '') return;
    const words = tokenize(line);
    this.history.set(this.commandCount, line);
    await this.run(words);
    this.commandCount++;
  }

  /** Runs a command given as words (one-shot mode), setting `exitCode`. */
  async run(words: string[]): Promise<void> {
    const out = this.output();
    try {
      await this.process(words, out);
      this.exitCode = 0;
      out.flush();
    } catch (err) {
      const e = toCliError(err);
      this.exitCode = e.exitCode;
      out.flush();
      if (this.options.json) {
        const zk = e.zk;
        this.options.stderr(
          JSON.stringify({ error: { message: e.message, ...(zk !== undefined ? { code: zk.code, name: zk.codeName, path: zk.path ?? null } : {}) } }) + '\n',
        );
      } else {
        this.options.stderr(`${e.message}\n`);
      }
    }
  }

  private output(): Output & { flush(): void } {
    const json = this.options.json;
    let data: unknown;
    return {
      line: (t) => {
        if (!json) this.options.stdout(`${t}\n`);
      },
      errLine: (t) => {
        if (!json) this.options.stderr(`${t}\n`);
      },
      data: (v) => {
        data = v;
      },
      flush: () => {
        if (json && data !== undefined) this.options.stdout(JSON.stringify(data) + '\n');
        data = undefined;
      },
    };
  }

  private async process(words: string[], out: Output): Promise<void> {
    const cmd = words[0];
    if (cmd === undefined) {
      this.usage();
      throw new CliError('No command entered');
    }
    if (!SESSION_COMMANDS.has(cmd) && !SHELL_COMMANDS.has(cmd)) {
      this.usage();
      throw new CliError(`Command not found: ${cmd}`, 127);
    }
    switch (cmd) {
      case 'quit':
        this.quitRequested = true;
        await this.zk?.close();
        return;
      case 'redo':
        return this.redo(words, out);
      case 'history':
        for (let i = this.commandCount - 10; i <= this.commandCount; i++) {
          if (i < 0) continue;
          out.line(`${i} - ${this.history.get(i)}`);
        }
        out.data({ history: [...this.history].map(([n, l]) => ({ n, command: l })) });
        return;
      case 'printwatches':
        if (words.length === 1) out.line(`printwatches is ${this.printWatches ? 'on' : 'off'}`);
        else this.printWatches = words[1] === 'on';
        out.data({ printwatches: this.printWatches });
        return;
      case 'connect':
        this.connect(words[1] ?? this.host);
        out.data({ server: this.host });
        return;
      case 'version':
        out.line(VERSION_LINE);
        out.data({ version: VERSION_LINE });
        return;
    }
    const zk = this.zk;
    if (zk === undefined || zk.state === 'CLOSED' || zk.state === 'AUTH_FAILED') {
      // zkCli.sh prints this on stdout and counts it as done.
      out.line('Not connected');
      out.data({ error: 'Not connected' });
      if (this.options.json) throw new CliError('Not connected');
      return;
    }
    if (cmd === 'close') {
      await zk.close();
      out.data({ closed: true });
      return;
    }
    const command = SESSION_COMMANDS.get(cmd)!;
    const parsed = parseFlags(words, command.spec);
    if (parsed.args.length < command.minArgs) throw new CliError(usageOf(command));
    await command.run({ zk, out, defaultWatcher: this.watcher }, parsed);
  }

  private async redo(words: string[], out: Output): Promise<void> {
    if (words.length < 2) return;
    const i = Number.parseInt(words[1]!, 10);
    if (!Number.isInteger(i) || this.commandCount <= i || i < 0) throw new CliError('Command index out of range');
    const line = this.history.get(i)!;
    const again = tokenize(line);
    if (again[0] === 'redo') throw new CliError('No redoing redos');
    this.history.set(this.commandCount, line);
    await this.process(again, out);
  }

  /** The command names, for completion. */
  static commandNames(): string[] {
    return allUsages().map(([n]) => n);
  }
}
