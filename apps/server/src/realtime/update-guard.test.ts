import { monitorEventLoopDelay } from 'node:perf_hooks';
import * as Y from 'yjs';
import { afterAll, describe, expect, it } from 'vitest';
import { UpdateGuard } from './update-guard.ts';

const guard = new UpdateGuard({ timeoutMs: 1000, maxMemoryMb: 64, maxBytes: 4 * 1024 * 1024 });
afterAll(() => guard.close());

function updateFrom(edit: (doc: Y.Doc) => void, clientID = 42): Uint8Array {
  const doc = new Y.Doc();
  doc.clientID = clientID;
  edit(doc);
  return Y.encodeStateAsUpdate(doc);
}

describe('UpdateGuard', () => {
  it('reports the clients, roots and shape of a valid update', async () => {
    const update = updateFrom((doc) => {
      doc.getText('content').insert(0, 'hello');
      doc.getMap('meta').set('title', 'Circle notes');
    });
    // Its content is described only when asked (rich-text documents): not by default.
    const facts = {
      structCount: 2,
      clients: [42],
      roots: expect.arrayContaining([
        { name: 'content', keyed: false },
        { name: 'meta', keyed: true },
      ]),
      deleteClients: [],
    };
    expect(await guard.inspect(update)).toEqual({ ok: true, facts });
    const verdict = await guard.inspect(update, { describeContent: true });
    expect(verdict).toEqual({
      ok: true,
      facts: {
        ...facts,
        content: {
          elements: [],
          types: [],
          other: [],
          formats: [],
          values: [
            { key: 'title', after: null, before: null, node: null, onRoot: true, values: ['Circle notes'] },
          ],
          // Text typed straight into a root Y.Text: placed in the root.
          textIn: [{ kind: 'root', parent: null, after: null, before: null }],
          nodesIn: [],
        },
      },
    });
  });

  it('[BI-Y11] reports what a rich-text update writes: nodes, marks, attributes, and content rich text never uses', async () => {
    const update = updateFrom((doc) => {
      const heading = new Y.XmlElement('heading');
      heading.setAttribute('level', 2 as unknown as string);
      const text = new Y.XmlText();
      text.insert(0, 'see', { 'link--AbCd1234': { href: 'javascript:alert(1)' } });
      heading.insert(0, [text]);
      const iframe = new Y.XmlElement('iframe');
      doc.getXmlFragment('content').insert(0, [heading, iframe]);
      text.insertEmbed(3, { image: 'x' });
    });
    const verdict = await guard.inspect(update, { describeContent: true });
    expect(verdict.ok && verdict.facts.content).toEqual({
      elements: ['heading', 'iframe'],
      types: ['XmlText'],
      other: ['embed'],
      formats: [
        { key: 'link--AbCd1234', value: { href: 'javascript:alert(1)' } },
        { key: 'link--AbCd1234', value: null },
      ],
      values: [{ key: 'level', after: null, before: null, node: 'heading', onRoot: false, values: [2] }],
      textIn: [{ kind: 'text', parent: null, after: null, before: null }],
      nodesIn: [
        { kind: 'root', parent: null, after: null, before: null },
        { kind: 'element', parent: null, after: null, before: null },
      ],
    });
  });

  it("[BI-Y11] leaves an overwrite's key to the document when the update does not carry the value it replaces", async () => {
    const doc = new Y.Doc();
    doc.clientID = 42;
    const heading = new Y.XmlElement('heading');
    doc.getXmlFragment('content').insert(0, [heading]);
    heading.setAttribute('level', 1 as unknown as string);
    const before = Y.encodeStateVector(doc);
    const first = doc.store.clients.get(42)!.at(-1)!.id;
    heading.setAttribute('level', 'onclick' as string);
    const verdict = await guard.inspect(Y.encodeStateAsUpdate(doc, before), { describeContent: true });
    expect(verdict.ok && verdict.facts.content?.values).toEqual([
      { key: null, after: [42, first.clock], before: null, node: null, onRoot: false, values: ['onclick'] },
    ]);
  });

  it('[BI-Y1] refuses the bytes of "garbagedoc" as malformed', async () => {
    expect(await guard.inspect(new TextEncoder().encode('garbagedoc'))).toEqual({
      ok: false,
      reason: 'malformed',
    });
  });

  it('[BI-Y2] refuses a zero-length update before decoding it', async () => {
    const before = guard.restarts;
    expect(await guard.inspect(new Uint8Array(0))).toEqual({ ok: false, reason: 'empty' });
    expect(guard.restarts).toBe(before);
  });

  it('[BI-W2] refuses truncated varints and varint overflow', async () => {
    for (const bytes of [[0x80], [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]]) {
      const verdict = await guard.inspect(Uint8Array.from(bytes));
      expect(verdict.ok).toBe(false);
    }
  });

  it('[BI-Y3] answers the run-length bomb of yjs #687 without stalling the event loop', async () => {
    const bomb = Uint8Array.from(
      Buffer.from('00010000000001000100010200001602000001fdffffffff7f0000', 'hex'),
    );
    const lag = monitorEventLoopDelay({ resolution: 10 });
    lag.enable();
    const verdict = await guard.inspect(bomb);
    lag.disable();
    // Yjs 13.6.33 decodes this input as an empty update; older versions spin on it. Either way
    // the decode happened in the worker, and the main thread never waited on it.
    expect(verdict.ok ? verdict.facts.structCount : 0).toBe(0);
    expect(lag.max / 1e6).toBeLessThan(500);
  });

  it('[BI-Y3] [FT-18] kills a decode that outlasts the watchdog, refuses it, and carries on', async () => {
    const strict = new UpdateGuard({ timeoutMs: 1, maxMemoryMb: 64, maxBytes: 64 * 1024 * 1024 });
    try {
      // 20,000 separate structs: far more than a millisecond to decode and integrate.
      const heavy = updateFrom((doc) => {
        const text = doc.getText('content');
        for (let i = 0; i < 20_000; i++) text.insert(0, 'x', i % 2 ? { bold: true } : {});
      });
      expect(await strict.inspect(heavy)).toEqual({ ok: false, reason: 'too_costly' });
      expect(strict.restarts).toBe(1);
    } finally {
      await strict.close();
    }
    expect((await guard.inspect(updateFrom((doc) => doc.getText('content').insert(0, 'ok')))).ok).toBe(true);
  });

  it('[BI-Y4] refuses an update over the byte cap without decoding it', async () => {
    const small = new UpdateGuard({ timeoutMs: 1000, maxMemoryMb: 64, maxBytes: 1024 });
    try {
      const big = updateFrom((doc) => doc.getText('content').insert(0, 'x'.repeat(5000)));
      expect(await small.inspect(big)).toEqual({ ok: false, reason: 'too_large' });
    } finally {
      await small.close();
    }
  });

  it('[BI-Y5] names unexpected roots such as __proto__ and admin, and map writes to a text root', async () => {
    const update = updateFrom((doc) => {
      doc.getMap('__proto__').set('polluted', true);
      doc.getArray('admin').insert(0, [1]);
    });
    const verdict = await guard.inspect(update);
    expect(verdict.ok && verdict.facts.roots).toEqual(
      expect.arrayContaining([
        { name: '__proto__', keyed: true },
        { name: 'admin', keyed: false },
      ]),
    );
  });

  it('[BI-Y6] exposes the client ids an update claims, so a borrowed id can be refused', async () => {
    const update = updateFrom((doc) => doc.getText('content').insert(0, 'spoof'), 777);
    const verdict = await guard.inspect(update);
    expect(verdict.ok && verdict.facts.clients).toEqual([777]);
  });

  it('[BI-Y3] a costly update sent among honest ones is refused alone; its neighbours pass', async () => {
    const strict = new UpdateGuard({ timeoutMs: 300, maxMemoryMb: 64, maxBytes: 64 * 1024 * 1024 });
    try {
      const honest = updateFrom((doc) => doc.getText('content').insert(0, 'fine'));
      expect((await strict.inspect(honest)).ok).toBe(true); // the worker is up before the burst
      const heavy = updateFrom((doc) => {
        const text = doc.getText('content');
        for (let i = 0; i < 60_000; i++) text.insert(0, 'x', i % 2 ? { bold: true } : {});
      });
      const answers = await Promise.all([
        ...Array.from({ length: 10 }, () => strict.inspect(honest)),
        strict.inspect(heavy),
        ...Array.from({ length: 10 }, () => strict.inspect(honest)),
      ]);
      expect(answers[10]).toEqual({ ok: false, reason: 'too_costly' });
      expect(answers.filter((a) => a.ok)).toHaveLength(20);
      expect(strict.restarts).toBeGreaterThanOrEqual(1);
    } finally {
      await strict.close();
    }
  });

  it('sends an update cut from a larger buffer as its own bytes, and decodes it the same', async () => {
    const update = updateFrom((doc) => doc.getText('content').insert(0, 'inside a frame'));
    const frame = new Uint8Array(update.byteLength + 64);
    frame.set(update, 32);
    const verdict = await guard.inspect(frame.subarray(32, 32 + update.byteLength));
    expect(verdict).toEqual(await guard.inspect(update));
    expect(verdict.ok).toBe(true);
  });

  it('keeps answering in order under a burst, mixing good and bad updates', async () => {
    const good = updateFrom((doc) => doc.getText('content').insert(0, 'fine'));
    const bad = new TextEncoder().encode('garbagedoc');
    const answers = await Promise.all(
      Array.from({ length: 200 }, (_, i) => guard.inspect(i % 3 === 0 ? bad : good)),
    );
    answers.forEach((answer, i) => expect(answer.ok).toBe(i % 3 !== 0));
  });
});
