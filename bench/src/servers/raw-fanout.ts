/**
 * B0, the physical baseline: a `ws` server that resends each binary frame to the other sockets
 * of its room (the URL path), without parsing it. It has no state, no echo and no durability:
 * what it costs is Node + ws + the loopback kernel path per frame, the floor any Yjs server on
 * this box can approach.
 */
import { createServer } from 'node:http';
import { WebSocketServer, type WebSocket } from 'ws';
import { announceReady, exitOnSigterm, HOST, portFromEnv } from './ready.ts';

const rooms = new Map<string, Set<WebSocket>>();
const http = createServer((_req, res) => res.writeHead(404).end());
const wss = new WebSocketServer({ server: http, perMessageDeflate: false, maxPayload: 16 * 1024 * 1024 });

wss.on('connection', (socket, request) => {
  const name = request.url ?? '/';
  let room = rooms.get(name);
  if (!room) rooms.set(name, (room = new Set()));
  room.add(socket);
  socket.on('message', (data: Buffer, isBinary: boolean) => {
    for (const peer of room) if (peer !== socket) peer.send(data, { binary: isBinary });
  });
  socket.on('close', () => {
    room.delete(socket);
    if (room.size === 0) rooms.delete(name);
  });
  socket.on('error', () => socket.terminate());
});

exitOnSigterm();
const port = portFromEnv();
http.listen(port, HOST, () => announceReady(port));
