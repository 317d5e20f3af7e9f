/** What `version` prints (zkCli.sh: "ZooKeeper CLI version: <ZooKeeper version>"). */
export const ZKCLI_VERSION = '0.1.0';
export const VERSION_LINE = `ZooKeeper CLI version: zk-ts zkcli ${ZKCLI_VERSION} (ZooKeeper 3.8 compatible)`;
