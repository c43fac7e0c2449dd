/**
 * Decodes untrusted Yjs updates off the main thread. A malformed or adversarial update
 * (yjs #479, #498, and the run-length bomb of #687 that can spin for minutes) can only hang or
 * crash this worker; the main thread's watchdog then kills and replaces it.
 */
import { parentPort } from 'node:worker_threads';
import * as Y from 'yjs';
import type { GuardRequest, GuardResponse, GuardVerdict, UpdateFacts } from '@cairn/sync';
// Its own entry point: the worker loads Yjs and this file only, not the package's schemas, so
// a replaced worker is ready again quickly.
import { describeUpdateContent } from '@cairn/sync/update-content';

function factsOf(update: Uint8Array, describe: boolean): UpdateFacts {
  const { structs, ds } = Y.decodeUpdate(update);
  // Integrate it once into a throw-away document too: the costly paths of hostile updates
  // (run-length tricks, yjs #687) sit in integration, and here they can only stall the worker.
  // A fixed guid: Yjs would otherwise draw a random UUID (31 calls into the CSPRNG) for every
  // update, nearly half of this worker's time in the 2026-11-22 profile (docs/benchmarks.md).
  Y.applyUpdate(new Y.Doc({ gc: false, guid: 'update-guard' }), update);
  const clients = new Set<number>();
  const roots = new Map<string, boolean>();
  for (const struct of structs) {
    clients.add(struct.id.client);
    // A root is named only on items without an origin: exactly the ones that could create it.
    if (struct instanceof Y.Item && typeof struct.parent === 'string') {
      roots.set(struct.parent, (roots.get(struct.parent) ?? false) || struct.parentSub !== null);
    }
  }
  return {
    structCount: structs.length,
    clients: [...clients],
    roots: [...roots].map(([name, keyed]) => ({ name, keyed })),
    deleteClients: [...ds.clients.keys()],
    // Described here, off the main thread, for the rich-text check (BI-Y11, core's content-check.ts).
    ...(describe ? { content: describeUpdateContent(structs) } : {}),
  };
}

function verdictOf(update: Uint8Array, describe: boolean): GuardVerdict {
  try {
    return { ok: true, facts: factsOf(update, describe) };
  } catch {
    return { ok: false, reason: 'malformed' };
  }
}

parentPort?.on('message', (request: GuardRequest) => {
  const response: GuardResponse = {
    id: request.id,
    verdicts: request.updates.map((update, i) => verdictOf(update, request.describe[i] === true)),
  };
  parentPort?.postMessage(response);
});
// Yjs is loaded: from here on the time a batch takes is the batch's own (update-guard.ts).
parentPort?.postMessage('ready');
