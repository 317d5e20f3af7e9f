/**
 * The FOLLOWING role in broadcast (`Follower.processPacket`): log each
 * PROPOSAL and ACK it once durable (`SyncRequestProcessor` ->
 * `SendAckRequestProcessor`), deliver on COMMIT in zxid order.
 */
import { formatZxid } from '@zk/zxid';
import { Learner } from './learner.js';
import { formatMessage, type ZabMessage } from './messages.js';

export class Follower extends Learner {
  readonly state = 'FOLLOWING' as const;
  protected readonly infoType = 'FOLLOWERINFO' as const;
  protected readonly acksProposals = true;

  protected onBroadcast(msg: ZabMessage): void {
    switch (msg.type) {
      case 'PROPOSAL': {
        this.checkNext(msg.zxid);
        const seq = this.core.append(msg.zxid, msg.payload);
        this.sendAfter(seq, { type: 'ACK', zxid: msg.zxid });
        return;
      }
      case 'COMMIT':
        if (msg.zxid > this.core.lastZxid) {
          // Follower.processPacket / FollowerZooKeeperServer.commit exits on this.
          this.protocolError(`COMMIT ${formatZxid(msg.zxid)} for a proposal never logged (last ${formatZxid(this.core.lastZxid)})`);
        }
        this.core.commitUpTo(msg.zxid);
        return;
      default:
        this.fail(`unexpected ${formatMessage(msg)} in broadcast`);
    }
  }
}
