// What `npm run ensemble` prints about a running ensemble. Pure formatting.

import type { EnsembleMember, MemberMode, RunningEnsemble } from '@zk/testkit';

/** One member: "server.2  127.0.0.1:40123  leader    pid 1234  (quorum 40124, election 40125)". */
export function roleLine(m: Pick<EnsembleMember, 'id' | 'type' | 'connectString' | 'pid' | 'quorumPort' | 'electionPort'>, mode: MemberMode): string {
  const type = m.type === 'observer' ? ' (observer)' : '';
  return `server.${m.id}${type}  ${m.connectString}  ${mode.padEnd(11)}  pid ${m.pid}  (quorum ${m.quorumPort}, election ${m.electionPort})`;
}

export function describeEnsemble(
  ens: Pick<RunningEnsemble, 'kind' | 'connectString' | 'members' | 'root'>,
  modes: ReadonlyMap<number, MemberMode>,
  keep: boolean,
): string {
  const lines = [
    `connect string: ${ens.connectString}`,
    ...ens.members.map((m) => '  ' + roleLine(m, modes.get(m.id) ?? 'down')),
    `zoo.cfg, data/ and server.log of each member: ${ens.root}/server<N>/ (${keep ? 'kept' : 'removed'} when stopped)`,
    `try: npx zkcli -server ${ens.connectString}`,
  ];
  return lines.join('\n') + '\n';
}
