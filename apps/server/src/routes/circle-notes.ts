/**
 * A session's integration circle notes and each clinician's private process note (see
 * docs/api.md "Circle notes"). Only the group's staff get an answer; anyone else gets 404, as
 * for a session that does not exist. The notes' text travels over the doc socket, never here:
 * these calls open, sign, add to, list and restore.
 */
import {
  addNotesAddendum,
  listNoteVersions,
  noteVersionContent,
  openCircleNotes,
  openClinicianNote,
  restoreNoteVersion,
  signCircleNotes,
} from '@cairn/core';
import type { FastifyInstance } from 'fastify';
import { viewerOf } from '../http/viewer.ts';
import type { Services } from '../services.ts';

const ID = { type: 'string', pattern: '^[A-Za-z0-9_-]{1,64}$' } as const;
const idParams = { type: 'object', properties: { id: ID }, required: ['id'] } as const;
const versionParams = {
  type: 'object',
  properties: { id: ID, seq: { type: 'string', pattern: '^[1-9][0-9]{0,14}$' } },
  required: ['id', 'seq'],
} as const;

export async function circleNotesRoutes(app: FastifyInstance, { core }: Services): Promise<void> {
  const base = '/api/v1/sessions/:id/circle-notes';

  app.post<{ Params: { id: string } }>(base, { schema: { params: idParams } }, async (request, reply) => {
    const notes = await openCircleNotes(core, await viewerOf(core, request), request.params.id);
    return reply.header('cache-control', 'no-store').send(notes);
  });

  app.get<{ Params: { id: string } }>(
    `${base}/versions`,
    { schema: { params: idParams } },
    async (request, reply) => {
      const versions = await listNoteVersions(core, await viewerOf(core, request), request.params.id);
      return reply.header('cache-control', 'no-store').send({ versions });
    },
  );

  app.get<{ Params: { id: string; seq: string } }>(
    `${base}/versions/:seq`,
    { schema: { params: versionParams } },
    async (request, reply) => {
      const version = await noteVersionContent(
        core,
        await viewerOf(core, request),
        request.params.id,
        Number(request.params.seq),
      );
      return reply.header('cache-control', 'no-store').send(version);
    },
  );

  /** The three acts on the notes: each answers with the notes' view as it now stands. */
  const act = (path: string, status: 200 | 201, run: typeof signCircleNotes) =>
    app.post<{ Params: { id: string } }>(
      `${base}/${path}`,
      { schema: { params: idParams } },
      async (request, reply) => {
        const notes = await run(core, await viewerOf(core, request), request.params.id, request.body);
        return reply.code(status).header('cache-control', 'no-store').send(notes);
      },
    );
  act('restore', 200, restoreNoteVersion);
  act('sign', 200, signCircleNotes);
  act('addenda', 201, addNotesAddendum);

  app.post<{ Params: { id: string } }>(
    '/api/v1/sessions/:id/clinician-note',
    { schema: { params: idParams } },
    async (request, reply) => {
      const note = await openClinicianNote(core, await viewerOf(core, request), request.params.id);
      return reply.header('cache-control', 'no-store').send(note);
    },
  );
}
