export { REALTIME_PATH_PREFIX, CLOSE_CODES } from './protocol.ts';
export type { CloseCode } from './protocol.ts';
