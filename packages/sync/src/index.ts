export { REALTIME_PATH_PREFIX, CLOSE_CODES } from './protocol.ts';
export type { CloseCode } from './protocol.ts';
export {
  MESSAGE_SYNC,
  MESSAGE_AWARENESS,
  MESSAGE_AUTH,
  MESSAGE_QUERY_AWARENESS,
  SYNC_STEP_1,
  SYNC_STEP_2,
  SYNC_UPDATE,
  parseClientDocMessage,
  encodeSyncMessage,
  encodeAwarenessMessage,
} from './doc-messages.ts';
export type { ClientDocMessage, DocMessageRefusal, ParsedDocMessage } from './doc-messages.ts';
export type {
  UpdateFacts,
  GuardRejection,
  GuardVerdict,
  GuardRequest,
  GuardResponse,
} from './update-facts.ts';
