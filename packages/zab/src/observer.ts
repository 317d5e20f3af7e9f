/**
 * The OBSERVING role in broadcast (`Observer.processPacket`): INFORM carries a
 * committed transaction; log it and deliver it once durable. Observers never
 * ACK and never count towards any quorum.
 */
import { Learner } from './learner.js';
import { formatMessage, type ZabMessage } from './messages.js';

export class Observer extends Learner {
  readonly state = 'OBSERVING' as const;
  protected readonly infoType = 'OBSERVERINFO' as const;
  protected readonly acksProposals = false;

  protected onBroadcast(msg: ZabMessage): void {
    switch (msg.type) {
      case 'INFORM':
        this.checkNext(msg.zxid);
        this.core.append(msg.zxid, msg.payload);
        this.core.commitUpTo(msg.zxid);
        return;
      case 'PROPOSAL':
      case 'COMMIT':
        return; // Observer.processPacket: "Ignoring proposal" / "Ignoring commit"
      default:
        this.fail(`unexpected ${formatMessage(msg)} in broadcast`);
    }
  }
}
