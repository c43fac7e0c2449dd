/**
 * WebSockets the way every client in the bench opens them: loopback only, no compression
 * (permessage-deflate would measure zlib), and for Cairn the headers a browser on Cairn's
 * origin sends (Origin + session cookie).
 */
import WebSocket from 'ws';

export type FrameTap = (data: unknown, at: number) => void;

function assertLoopback(url: string): void {
  const host = new URL(url).hostname;
  if (host !== '127.0.0.1') throw new Error(`load targets 127.0.0.1 only, not ${host}`);
}

export function openSocket(url: string, headers: Record<string, string>): WebSocket {
  assertLoopback(url);
  return new WebSocket(url, { headers, perMessageDeflate: false });
}

/**
 * A `ws` class for the stock providers (`WebSocketPolyfill`), carrying `headers`. `tap` sees
 * each frame with its arrival time before the provider handles it, so echo timestamps do not
 * include the provider's own Yjs work.
 */
export function socketClass(headers: Record<string, string>, tap?: FrameTap): typeof WebSocket {
  return class BenchSocket extends WebSocket {
    constructor(address: string, protocols?: string | string[]) {
      assertLoopback(address);
      super(address, protocols, { headers, perMessageDeflate: false });
      if (tap) this.on('message', (data: unknown) => tap(data, performance.now()));
    }
  } as typeof WebSocket;
}

/** Resolves when the socket opens; rejects on error, refusal or timeout. */
export function opened(socket: WebSocket, timeoutMs = 15_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('socket open timed out')), timeoutMs);
    socket.once('open', () => {
      clearTimeout(timer);
      resolve();
    });
    socket.once('unexpected-response', (_req, res) => {
      clearTimeout(timer);
      reject(new Error(`upgrade refused: ${res.statusCode}`));
    });
    socket.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}

export function closeSocket(socket: WebSocket): void {
  if (socket.readyState === WebSocket.CONNECTING || socket.readyState === WebSocket.OPEN) socket.terminate();
}
