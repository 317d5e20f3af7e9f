// Wire numbers <-> the names the API uses for event types and session states.

import { EventType, KeeperState } from '@zk/protocol';
import type { EventTypeName, KeeperStateName } from './types.js';

const EVENT_NAMES = new Map<number, EventTypeName>(Object.entries(EventType).map(([k, v]) => [v, k as EventTypeName]));
const STATE_NAMES = new Map<number, KeeperStateName>(Object.entries(KeeperState).map(([k, v]) => [v, k as KeeperStateName]));

export function eventTypeName(type: number): EventTypeName {
  return EVENT_NAMES.get(type) ?? 'None';
}

export function keeperStateName(state: number): KeeperStateName {
  return STATE_NAMES.get(state) ?? 'Unknown';
}
