/**
 * Decodes untrusted Yjs updates off the main thread. A malformed or adversarial update
 * (yjs #479, #498, and the run-length bomb of #687 that can spin for minutes) can only hang or
 * crash this worker; the main thread's watchdog then kills and replaces it.
 */
import { parentPort } from 'node:worker_threads';
import * as Y from 'yjs';
import type { GuardRequest, GuardResponse, UpdateFacts } from '@cairn/sync';

function factsOf(update: Uint8Array): UpdateFacts {
  const { structs, ds } = Y.decodeUpdate(update);
  // Integrate it once into a throw-away document too: the costly paths of hostile updates
  // (run-length tricks, yjs #687) sit in integration, and here they can only stall the worker.
  Y.applyUpdate(new Y.Doc({ gc: false }), update);
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
  };
}

parentPort?.on('message', (request: GuardRequest) => {
  let response: GuardResponse;
  try {
    response = { id: request.id, ok: true, facts: factsOf(request.update) };
  } catch {
    response = { id: request.id, ok: false, reason: 'malformed' };
  }
  parentPort?.postMessage(response);
});
