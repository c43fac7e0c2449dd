/**
 * B0 for the board workload: raw-fanout.ts's relay, narrowed to the board's pattern. A socket
 * joins `/<room>/staff` or `/<room>/tablet`; a tablet's frame goes, unparsed, to its room's
 * staff sockets only and straight back to the tablet as its "ack". raw-fanout.ts as it stands
 * would resend each tablet frame to all 13 other sockets of the room, 11 of them tablets that
 * Cairn never sends a participant's check-in to, and would send no ack. No state, no
 * durability, no filtering: Node + ws + the loopback path per frame.
 */
import { createServer } from 'node:http';
import { WebSocketServer, type WebSocket } from 'ws';
import { announceReady, exitOnSigterm, HOST, portFromEnv } from './ready.ts';

const staffByRoom = new Map<string, Set<WebSocket>>();
const http = createServer((_req, res) => res.writeHead(404).end());
const wss = new WebSocketServer({ server: http, perMessageDeflate: false, maxPayload: 64 * 1024 });

wss.on('connection', (socket, request) => {
  const [, room = '', role] = (request.url ?? '/').split('/');
  if (role === 'staff') {
    let staff = staffByRoom.get(room);
    if (!staff) staffByRoom.set(room, (staff = new Set()));
    staff.add(socket);
    socket.on('close', () => {
      staff.delete(socket);
      if (staff.size === 0) staffByRoom.delete(room);
    });
  } else {
    socket.on('message', (data: Buffer, isBinary: boolean) => {
      for (const peer of staffByRoom.get(room) ?? []) peer.send(data, { binary: isBinary });
      socket.send(data, { binary: isBinary });
    });
  }
  socket.on('error', () => socket.terminate());
});

exitOnSigterm();
const port = portFromEnv();
http.listen(port, HOST, () => announceReady(port));
