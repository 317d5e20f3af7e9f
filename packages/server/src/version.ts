/**
 * The version string clients see in `srvr`, `stat`, `envi` and `mntr`. It starts with the
 * ZooKeeper release we are wire-compatible with, because tools parse the leading x.y.z.
 */
export const ZK_TS_VERSION = '0.1.0';
export const COMPATIBLE_ZOOKEEPER_VERSION = '3.8.0';
export const VERSION_STRING = `${COMPATIBLE_ZOOKEEPER_VERSION}-zk-ts-${ZK_TS_VERSION}, built on 3.8.x-compatible zk-ts`;
