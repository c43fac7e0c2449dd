/**
 * How many participants a group holds: the size at which group KAP is run (PRODUCT §2). Its own
 * file because both the roster rules (groups.ts) and the phase guard (session-phases.ts) need
 * it, and those two must not import each other.
 */
export const GROUP_MIN_PARTICIPANTS = 4;
export const GROUP_MAX_PARTICIPANTS = 12;
