/**
 * One note's Yjs document on the doc socket (the stock y-websocket provider, as the prompt deck
 * opens its own), with what the person writing needs to know about it: whether it is open,
 * whether every edit is saved, and who else has it open. "Saved" comes from @cairn/sync's
 * tracker, which says saved only once the server's frames show the edit durably committed
 * (PRODUCT §5) — never because the socket accepted it.
 */
import { trackSavedState, type SavedState, type SavedStateTracker } from '@cairn/sync';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { stampedPerson, type NotePerson } from './note-people.ts';

export type ConnectionStatus = 'connecting' | 'synced' | 'offline';

export class NoteConnection {
  status: ConnectionStatus = $state('connecting');
  /** Whether the document has synced once: before that, the editor would show an empty note. */
  loaded = $state(false);
  saved: SavedState = $state('offline');
  /** The others with this note open now, one entry per person. */
  others: NotePerson[] = $state.raw([]);

  readonly doc = new Y.Doc();
  readonly provider: WebsocketProvider;
  readonly #tracker: SavedStateTracker;

  constructor(docId: string) {
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    this.provider = new WebsocketProvider(`${scheme}://${location.host}/ws/doc`, docId, this.doc);
    // Before any edit: the tracker counts what it has not seen as unsaved.
    this.#tracker = trackSavedState(this.provider, (state) => (this.saved = state));
    this.saved = this.#tracker.state;
    this.provider.on('status', ({ status }) => {
      if (status === 'disconnected') this.status = 'offline';
      else if (status === 'connecting') this.status = 'connecting';
    });
    this.provider.on('sync', (synced: boolean) => {
      this.status = synced ? 'synced' : 'connecting';
      if (synced) this.loaded = true;
    });
    // The server overwrites `user` with who we are; we only say that we are here.
    this.provider.awareness.setLocalStateField('user', {});
    this.provider.awareness.on('change', () => this.#readOthers());
  }

  close(): void {
    this.#tracker.destroy();
    this.provider.destroy();
    this.doc.destroy();
  }

  #readOthers(): void {
    const people: NotePerson[] = [];
    for (const [clientId, state] of this.provider.awareness.getStates()) {
      if (clientId === this.doc.clientID) continue;
      const person = stampedPerson(clientId, state);
      if (person && !people.some((known) => known.name === person.name)) people.push(person);
    }
    this.others = people;
  }
}
