import { PASSWORD_LENGTH } from '@zk/protocol';
import { JavaRandom } from './java-random.js';

/** ZooKeeperServer's built-in `superSecret` (0xB3415C00). */
export const ZOOKEEPER_SUPER_SECRET = 0xb3415c00n;

/**
 * Session passwords derived from the session id and a server secret, as ZooKeeperServer.generatePasswd
 * does: `new Random(sessionId ^ secret).nextBytes(new byte[16])`. Nothing is stored: any server that
 * shares the secret can validate a reconnecting client's password. With the default secret the
 * bytes equal Apache ZooKeeper's, so sessions survive a mixed or migrated ensemble.
 */
export class SessionPasswords {
  private readonly secret: bigint;

  constructor(secret: bigint = ZOOKEEPER_SUPER_SECRET) {
    this.secret = secret;
  }

  passwordFor(sessionId: bigint): Uint8Array {
    return new JavaRandom(sessionId ^ this.secret).nextBytes(new Uint8Array(PASSWORD_LENGTH));
  }

  /** ZooKeeperServer.checkPasswd: session id 0 never matches; otherwise a byte-for-byte comparison. */
  checkPassword(sessionId: bigint, passwd: Uint8Array | null | undefined): boolean {
    if (sessionId === 0n || !passwd || passwd.length !== PASSWORD_LENGTH) return false;
    const expected = this.passwordFor(sessionId);
    for (let i = 0; i < PASSWORD_LENGTH; i++) if (expected[i] !== passwd[i]) return false;
    return true;
  }
}

const defaultPasswords = new SessionPasswords();

/** The password for a session under ZooKeeper's default secret (see {@link SessionPasswords}). */
export function passwordFor(sessionId: bigint): Uint8Array {
  return defaultPasswords.passwordFor(sessionId);
}

/** Checks a password under ZooKeeper's default secret (see {@link SessionPasswords.checkPassword}). */
export function checkPassword(sessionId: bigint, passwd: Uint8Array | null | undefined): boolean {
  return defaultPasswords.checkPassword(sessionId, passwd);
}
