/** Every server entry ends the same way: tell the driver it listens, over the IPC channel. */
export function announceReady(port: number): void {
  process.send?.({ type: 'ready', port });
}

export function portFromEnv(): number {
  const port = Number(process.env.PORT);
  if (!Number.isInteger(port) || port <= 0) throw new Error('PORT must be set by the driver');
  return port;
}

/** Load targets 127.0.0.1 only. */
export const HOST = '127.0.0.1';

/** A clean exit on SIGTERM, so exit-time work (a --cpu-prof profile) happens. */
export function exitOnSigterm(): void {
  process.on('SIGTERM', () => process.exit(0));
}
