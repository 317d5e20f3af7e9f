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
];

export function expectedDifference(name: string): string | null {
  return EXPECTED_DIFFERENCES.find((e) => e.cases.test(name))?.reason ?? null;
}
