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
  ContentFacts,
  ValueFact,
  PlacementFact,
  GuardRejection,
  GuardVerdict,
  GuardRequest,
  GuardResponse,
} from './update-facts.ts';
export {
  STREAM_MAX_FRAME_BYTES,
  STREAM_PAGE_SIZE,
  EVENT_PAYLOAD_SCHEMAS,
  COMMAND_SCHEMAS,
  commandIdSchema,
  parseClientStreamMessage,
  parseServerStreamMessage,
  encodeStreamMessage,
} from './stream-messages.ts';
export type {
  EventPayload,
  StreamCommand,
  ClientStreamMessage,
  StreamMessageParse,
  StreamEvent,
  CommandRefusal,
  ServerStreamMessage,
} from './stream-messages.ts';
export { describeUpdateContent, resolveAgainstDocument } from './update-content.ts';
export { groupVersions, versionJson, restoreUpdate, VERSION_QUIET_MS } from './notes-history.ts';
export type { HistoryRow, VersionSpan } from './notes-history.ts';
export { StreamClient, CommandRefused } from './stream-client.ts';
export type { StreamClientOptions, StreamSocket, StreamStatus } from './stream-client.ts';
export {
  trackSavedState,
  SaveLedger,
  readServerSyncFrame,
  readUpdateFacts,
  normalizeRanges,
  unionRanges,
  subtractRanges,
} from './saved-state.ts';
export type {
  SavedState,
  SavedStateTracker,
  SavedStateProvider,
  ServerSyncFact,
  ClockRanges,
} from './saved-state.ts';
