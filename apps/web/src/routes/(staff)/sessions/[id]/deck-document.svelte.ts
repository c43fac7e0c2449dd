/**
 * A session's prompt deck as a live Yjs document: opened through the API (which says whether
 * this person may write it), then synced with the stock y-websocket provider on the doc socket.
 * Every edit is a Yjs change, so two facilitators see each other's edits as they make them; the
 * server refuses writes from a read-only connection anyway, the disabled buttons only say so
 * first. Items are Y.Maps with the domain's keys (`PromptDeckItem`, prompts.ts).
 */
import { PROMPT_DECK_ROOT, readPromptDeckItem, type PromptDeckItem } from '@cairn/domain';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { request } from '#lib/api.ts';
import { movedIndex } from '#lib/board/prompt-deck.ts';

export type DeckStatus = 'opening' | 'connecting' | 'synced' | 'offline' | 'failed';

interface AwarenessUser {
  user?: { name?: unknown };
}

export class DeckDocument {
  status: DeckStatus = $state('opening');
  access: 'read' | 'write' = $state('read');
  items: PromptDeckItem[] = $state.raw([]);
  /** Names of the other people with the deck open now (stamped by the server, not claimed). */
  others: string[] = $state.raw([]);

  #doc = new Y.Doc();
  #list = this.#doc.getArray<Y.Map<unknown>>(PROMPT_DECK_ROOT);
  #provider: WebsocketProvider | null = null;
  #closed = false;

  constructor(sessionId: string) {
    void this.#open(sessionId);
  }

  get writable(): boolean {
    return this.access === 'write';
  }

  add(item: PromptDeckItem): void {
    if (!this.writable) return;
    this.#list.push([toMap(item)]);
  }

  setText(id: string, text: string): void {
    const map = this.#find(id)?.map;
    if (this.writable && map) map.set('text', text);
  }

  remove(id: string): void {
    const found = this.#find(id);
    if (this.writable && found) this.#list.delete(found.index, 1);
  }

  /** Moves a prompt one place up or down: a delete and an insert of a copy in one transaction. */
  move(id: string, delta: -1 | 1): void {
    const found = this.#find(id);
    if (!this.writable || !found) return;
    const to = movedIndex(found.index, delta, this.#list.length);
    const item = readItem(found.map);
    if (to === null || !item) return;
    this.#doc.transact(() => {
      this.#list.delete(found.index, 1);
      this.#list.insert(to, [toMap(item)]);
    });
  }

  close(): void {
    this.#closed = true;
    this.#provider?.destroy();
    this.#doc.destroy();
  }

  async #open(sessionId: string): Promise<void> {
    const answer = await request<{ docId: string; access: 'read' | 'write' }>(
      'POST',
      `/sessions/${encodeURIComponent(sessionId)}/prompt-deck`,
    );
    if (this.#closed) return;
    if (!answer.ok) {
      this.status = 'failed';
      return;
    }
    this.access = answer.data.access;
    this.status = 'connecting';
    this.#list.observeDeep(() => this.#refresh());
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    const provider = new WebsocketProvider(
      `${scheme}://${location.host}/ws/doc`,
      answer.data.docId,
      this.#doc,
    );
    this.#provider = provider;
    provider.on('status', ({ status }) => {
      if (status === 'disconnected') this.status = 'offline';
    });
    provider.on('sync', (synced: boolean) => {
      this.status = synced ? 'synced' : 'connecting';
      this.#refresh();
    });
    // The server overwrites `user` with who we are; we only say that we are here.
    provider.awareness.setLocalStateField('user', {});
    provider.awareness.on('change', () => {
      const names: string[] = [];
      for (const [clientId, state] of provider.awareness.getStates()) {
        const name = (state as AwarenessUser).user?.name;
        if (clientId !== this.#doc.clientID && typeof name === 'string' && !names.includes(name))
          names.push(name);
      }
      this.others = names;
    });
  }

  #refresh(): void {
    this.items = this.#list
      .toArray()
      .map(readItem)
      .filter((item): item is PromptDeckItem => item !== null);
  }

  #find(id: string): { map: Y.Map<unknown>; index: number } | null {
    const all = this.#list.toArray();
    const index = all.findIndex((map) => map.get('id') === id);
    return index === -1 ? null : { map: all[index]!, index };
  }
}

function toMap(item: PromptDeckItem): Y.Map<unknown> {
  const map = new Y.Map<unknown>();
  for (const [key, value] of Object.entries(item)) map.set(key, value);
  return map;
}

function readItem(map: Y.Map<unknown>): PromptDeckItem | null {
  return map instanceof Y.Map ? readPromptDeckItem(map.toJSON()) : null;
}
