/**
 * `@y/websocket-server` 0.1.1 as its own CLI wires it, minus the CLI's ws 6: `setupWSConnection`
 * on `http` + ws 8, document name = URL path, no persistence (YPERSISTENCE unset), so documents
 * live in memory only.
 */
import { createServer } from 'node:http';
import { setupWSConnection } from '@y/websocket-server/utils';
import { WebSocketServer } from 'ws';
import { announceReady, exitOnSigterm, HOST, portFromEnv } from './ready.ts';

const http = createServer((_req, res) => res.writeHead(404).end());
const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
wss.on('connection', (socket, request) => setupWSConnection(socket, request));
http.on('upgrade', (request, socket, head) => {
  wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request));
});

exitOnSigterm();
const port = portFromEnv();
http.listen(port, HOST, () => announceReady(port));
