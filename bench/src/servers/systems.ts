/**
 * The systems under test, and how clients reach a running one. Each is described by what it
 * promises about durability, because a server that acknowledges before saving is not
 * comparable on latency alone.
 */
import { fileURLToPath } from 'node:url';

export type Protocol = 'y-websocket' | 'hocuspocus' | 'raw';
export type SystemId = 'cairn' | 'y-websocket-server' | 'hocuspocus' | 'hocuspocus-sqlite' | 'raw';

export interface SystemSpec {
  id: SystemId;
  label: string;
  protocol: Protocol;
  durability: string;
  /** Whether documents survive a restart (W3 can load them cold; W7 can lose less than all). */
  persistent: boolean;
  entry: string;
}

const entry = (file: string) => fileURLToPath(new URL(`./${file}`, import.meta.url));

export const SYSTEMS: Record<SystemId, SystemSpec> = {
  cairn: {
    id: 'cairn',
    label: 'Cairn',
    protocol: 'y-websocket',
    durability: "fsync'd before echo",
    persistent: true,
    entry: entry('cairn.ts'),
  },
  'y-websocket-server': {
    id: 'y-websocket-server',
    label: '@y/websocket-server 0.1.1',
    protocol: 'y-websocket',
    durability: 'none (memory)',
    persistent: false,
    entry: entry('y-websocket-server.ts'),
  },
  hocuspocus: {
    id: 'hocuspocus',
    label: 'Hocuspocus 4.7',
    protocol: 'hocuspocus',
    durability: 'none (memory)',
    persistent: false,
    entry: entry('hocuspocus.ts'),
  },
  'hocuspocus-sqlite': {
    id: 'hocuspocus-sqlite',
    label: 'Hocuspocus 4.7 + sqlite',
    protocol: 'hocuspocus',
    durability: 'debounced 2 s / max 10 s',
    persistent: true,
    entry: entry('hocuspocus.ts'),
  },
  raw: {
    id: 'raw',
    label: 'raw ws fan-out',
    protocol: 'raw',
    durability: 'n/a',
    persistent: false,
    entry: entry('raw-fanout.ts'),
  },
};

/** A running system as its clients see it. */
export interface Target {
  spec: SystemSpec;
  port: number;
  /** Where a raw socket for `room` connects, and with which headers. */
  address(room: string): { url: string; headers: Record<string, string> };
  /** The `serverUrl` the y-websocket provider appends `/${room}` to. */
  providerBase: string;
  headers: Record<string, string>;
}

export function targetFor(spec: SystemSpec, port: number, cairnHeaders: Record<string, string>): Target {
  const base = `ws://127.0.0.1:${port}`;
  const headers = spec.id === 'cairn' ? cairnHeaders : {};
  const providerBase = spec.id === 'cairn' ? `${base}/ws/doc` : base;
  return {
    spec,
    port,
    headers,
    providerBase,
    address: (room) => ({
      url: spec.protocol === 'hocuspocus' ? base : `${providerBase}/${room}`,
      headers,
    }),
  };
}
