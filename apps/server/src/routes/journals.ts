/**
 * The participant's end-to-end encrypted journal (docs/api.md "Journals (end-to-end
 * encrypted)", docs/journals.md). Only the participant — on an admitted tablet or signed in at
 * home — reaches these routes; anyone else, staff included, gets "not found" (AC-02). The data
 * calls carry the unlock proof in the `x-journal-proof` header; nothing is read from a URL but
 * the seq, so a query string is refused. Answers are never cached.
 */
import {
  appendJournalBlob,
  changeJournalPassphrase,
  compactJournal,
  fetchJournalBlobs,
  journalStatus,
  requireJournal,
  requireJournalPrincipal,
  setUpJournal,
  unlockJournal,
  type CoreContext,
  type JournalPrincipal,
} from '@cairn/core';
import { JOURNAL_BLOB_MAX_BYTES, JOURNAL_PROOF_HEADER, JOURNAL_SNAPSHOT_MAX_BYTES } from '@cairn/domain';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { homeViewerOf, tabletOf } from '../http/participant-cookies.ts';
import { viewerOf } from '../http/viewer.ts';
import type { Services } from '../services.ts';
import { refuseQueryString } from './tablets.ts';

/** Room for the JSON around a base64url ciphertext of `maxBytes`. */
const bodyLimitFor = (maxBytes: number) => Math.ceil((maxBytes * 4) / 3) + 4 * 1024;
const APPEND_BODY_LIMIT = bodyLimitFor(JOURNAL_BLOB_MAX_BYTES);
const COMPACT_BODY_LIMIT = bodyLimitFor(JOURNAL_SNAPSHOT_MAX_BYTES);

const principals = new WeakMap<FastifyRequest, JournalPrincipal>();

/**
 * Resolved before the body is read: a request from anyone but the participant is answered
 * "not found" without taking in megabytes of someone else's upload first.
 */
async function resolvePrincipal(core: CoreContext, request: FastifyRequest): Promise<void> {
  const principal = await requireJournalPrincipal(core, {
    tablet: await tabletOf(core, request),
    home: await homeViewerOf(core, request),
    staff: await viewerOf(core, request),
  });
  principals.set(request, principal);
}

function principalOf(request: FastifyRequest): JournalPrincipal {
  const principal = principals.get(request);
  if (!principal) throw new Error('The journal principal was not resolved for this route.');
  return principal;
}

function proofOf(request: FastifyRequest): string | undefined {
  const header = request.headers[JOURNAL_PROOF_HEADER];
  return typeof header === 'string' ? header : undefined;
}

const noStore = (reply: FastifyReply) => reply.header('cache-control', 'no-store');

export async function journalRoutes(app: FastifyInstance, { core }: Services): Promise<void> {
  app.addHook('onRequest', async (request, reply) => {
    noStore(reply);
    refuseQueryString(request);
    await resolvePrincipal(core, request);
  });

  app.get('/api/v1/journal', async (request) => journalStatus(core, principalOf(request)));

  app.put('/api/v1/journal', async (request, reply) =>
    reply.code(201).send(await setUpJournal(core, principalOf(request), request.body)),
  );

  app.post('/api/v1/journal/unlock', async (request) => {
    const principal = principalOf(request);
    return unlockJournal(core, principal, await requireJournal(core, principal), request.body);
  });

  app.post('/api/v1/journal/passphrase', async (request, reply) => {
    await changeJournalPassphrase(core, principalOf(request), proofOf(request), request.body);
    return reply.code(204).send();
  });

  app.post('/api/v1/journal/blobs', { bodyLimit: APPEND_BODY_LIMIT }, async (request, reply) => {
    const appended = await appendJournalBlob(core, principalOf(request), proofOf(request), request.body);
    return reply.code(appended.duplicate ? 200 : 201).send(appended);
  });

  app.get<{ Params: { seq: string } }>('/api/v1/journal/blobs/after/:seq', async (request) =>
    fetchJournalBlobs(core, principalOf(request), proofOf(request), request.params.seq),
  );

  app.post('/api/v1/journal/compact', { bodyLimit: COMPACT_BODY_LIMIT }, async (request) =>
    compactJournal(core, principalOf(request), proofOf(request), request.body),
  );
}
