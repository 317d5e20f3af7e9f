// Differences between zk-ts and ZooKeeper 3.8 that are deliberate (docs/architecture.md,
// "Deliberate differences"). A listed case that differs is reported as expected and does not fail
// the run (ZK_DIFF_STRICT=1 makes it fail); one that no longer differs is reported too. Keep the
// patterns narrow: a listed case hides every difference it has.

export interface ExpectedDifference {
  cases: RegExp;
  reason: string;
}

export const EXPECTED_DIFFERENCES: ExpectedDifference[] = [
  {
    // A persistent (or persistent-recursive) watch and a one-shot or second persistent watch by
    // the same session on the same path: 3.8 keeps only the later registration's mode; zk-ts keeps
    // both, as ZooKeeper does since ZOOKEEPER-4466 (3.9).
    cases:
      /^(watch\/persistent\+getData\/(setData|setData-twice|recreate-node|multi)|watch\/persistent\+recursive\/(create-child|delete-child|delete-node|recreate-node|multi|create-ephemeral-child-then-close)|watch\/self\/persistent\+recursive\/setData|multi\/watches-fired)$/,
    reason: 'ZOOKEEPER-4466 (3.9 watch-mode coexistence)',
  },
  {
    // A standalone check (OpCode 13 outside a multi): ZooKeeper 3.8.0 serializes a null Stat in
    // FinalRequestProcessor and never answers, so the client waits until its session times out;
    // zk-ts answers with a header (OK or the check's error).
    cases: /^(op\/check\/(existing|version-match|with-children|case-root)|path\/check\/just-slash-global|acl\/(world|digest)\/[^/]+\/check)$/,
    reason: 'standalone check answered (ZooKeeper 3.8.0 never replies)',
  },
  {
    // removeWatches of type Data or Children on a path holding a persistent watch: 3.8 removes the
    // half of the watch in that table and keeps delivering the other table's events; zk-ts keeps
    // the persistent watch whole (only type Any removes it), so it still delivers both kinds.
    cases: /^watch\/removeWatches\/(Children|Data)\/(persistent|recursive)$/,
    reason: 'typed removeWatches leaves a persistent watch whole',
  },
  {
    // checkWatches(Any) by a session holding no watch on a path another session watches: 3.8.0
    // answers OK, zk-ts answers NOWATCHER (the session has none).
    cases: /^watch\/removeWatches\/other-session$/,
    reason: "checkWatches(Any) reports only the caller's own watches",
  },
  {
    // A ping followed by garbage in the same segment: ZooKeeper closes the connection before its
    // pipeline answers the ping; zk-ts answers the ping, then closes. The client sees the close
    // either way.
    cases: /^frame\/ping-then-garbage$/,
    reason: 'a ping ahead of garbage is answered before the close',
  },
];

export function expectedDifference(name: string): string | null {
  return EXPECTED_DIFFERENCES.find((e) => e.cases.test(name))?.reason ?? null;
}

/**
 * Cases that break a ZooKeeper 3.8.0 *ensemble* (standalone ZooKeeper survives them): in ensemble
 * mode (ZK_DIFF_ENSEMBLE=1) they run on zk-ts only, which must survive them, as `zkCrashes` cases do.
 */
export const ZK_ENSEMBLE_CRASHES: ExpectedDifference[] = [
  {
    // A standalone check that succeeds: the follower's FinalRequestProcessor fails to serialise the
    // reply (null Stat), and the follower then drops every connection of every session and refuses
    // new sessions (seen as "control session refused" in the cleanup). Standalone it just never replies.
    cases:
      /^(op\/check\/(existing|version-match|with-children|case-root)|path\/check\/just-slash-global|acl\/world\/(only-READ|all-but-(WRITE|CREATE|DELETE|ADMIN))\/check|acl\/digest\/(right-user|super)\/check)$/,
    reason: 'a successful standalone check makes a ZooKeeper 3.8.0 follower drop every connection and refuse new sessions',
  },
  {
    // A multi write op with a null path: NullPointerException in the leader's
    // PrepRequestProcessor.getPendingChanges; the leader then commits out of order ("Commiting zxid
    // … not first!") and the ensemble stops answering. Standalone: MARSHALLINGERROR.
    cases: /^path\/multi-(check|setData|create|delete)\/null$/,
    reason: "a multi write with a null path breaks a ZooKeeper 3.8.0 leader's PrepRequestProcessor",
  },
];

export function zkEnsembleCrash(name: string): string | null {
  return ZK_ENSEMBLE_CRASHES.find((e) => e.cases.test(name))?.reason ?? null;
}

