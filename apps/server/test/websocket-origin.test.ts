import type { AddressInfo } from 'node:net';
import WebSocket from 'ws';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ORIGIN, startHarness, type Harness } from './harness.ts';

let h: Harness;
let url: string;

beforeEach(async () => {
  // Realtime endpoints arrive with the realtime issue; this echo route exercises the upgrade
  // path every one of them will share.
  h = await startHarness({
    extend: (app) => {
      app.get('/ws/echo', { websocket: true }, (socket) => {
        socket.on('message', (data) => socket.send(data));
      });
    },
  });
  await h.app.listen({ port: 0, host: '127.0.0.1' });
  url = `ws://127.0.0.1:${(h.app.server.address() as AddressInfo).port}/ws/echo`;
});
afterEach(async () => {
  await h.close();
});

function upgradeStatus(headers: Record<string, string>): Promise<number | 'open'> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { headers });
    socket.on('open', () => {
      socket.close();
      resolve('open');
    });
    socket.on('unexpected-response', (req, res) => {
      resolve(res.statusCode ?? 0);
      req.destroy();
    });
    socket.on('error', reject);
  });
}

describe('WebSocket upgrades', () => {
  it("opens from Cairn's own origin", async () => {
    expect(await upgradeStatus({ origin: ORIGIN })).toBe('open');
  });

  it.each([
    ['a foreign origin', { origin: 'https://evil.example' }],
    ['Origin: null', { origin: 'null' }],
    ['no Origin', {}],
  ])('[AC-11] refuses %s with 403 before any socket exists', async (_label, headers) => {
    expect(await upgradeStatus(headers)).toBe(403);
  });

  it('[AC-11] ignores spoofed X-Forwarded-Host / -Proto when no proxy is trusted', async () => {
    expect(
      await upgradeStatus({
        origin: 'https://evil.example',
        'x-forwarded-host': 'evil.example',
        'x-forwarded-proto': 'https',
      }),
    ).toBe(403);
  });
});
