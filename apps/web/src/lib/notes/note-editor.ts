/**
 * Tiptap editors for notes. This is the one module that brings Tiptap and ProseMirror into the
 * page, and staff pages load it with `import()` only when a notes panel opens: the tablet
 * bundle and a session page whose notes stay closed never download it.
 *
 * Pages run under a CSP with no inline style attributes, so nothing here sets a `style`
 * attribute from markup: Tiptap's injected <style> is off (notes.css carries those rules) and a
 * caret's colour is set through the CSSOM, which the policy allows.
 */
import { Editor, type JSONContent } from '@tiptap/core';
import Collaboration from '@tiptap/extension-collaboration';
import CollaborationCaret from '@tiptap/extension-collaboration-caret';
import { CIRCLE_NOTES_FIELD } from '@cairn/domain';
import type { WebsocketProvider } from 'y-websocket';
import type * as Y from 'yjs';
import { stampedPerson } from './note-people.ts';
import { noteExtensions } from './note-extensions.ts';

export type { Editor, JSONContent };

export interface NoteEditorOptions {
  element: HTMLElement;
  doc: Y.Doc;
  provider: WebsocketProvider;
  editable: boolean;
  /** The accessible name of the writing area. */
  label: string;
}

/** An editor bound to a note's shared document, showing colleagues' named carets. */
export function createNoteEditor({ element, doc, provider, editable, label }: NoteEditorOptions): Editor {
  return new Editor({
    element,
    editable,
    injectCSS: false,
    editorProps: { attributes: editorAttributes(label) },
    extensions: [
      ...noteExtensions(),
      Collaboration.configure({ document: doc, field: CIRCLE_NOTES_FIELD }),
      CollaborationCaret.configure({
        provider,
        // Our claim is nothing: the server stamps name and colour into our awareness itself.
        user: {},
        render: (user) => caretElement(user),
        selectionRender: () => ({ nodeName: 'span', class: 'note-remote-selection' }),
      }),
    ],
  });
}

/** A read-only editor showing one version from history. */
export function createPreviewEditor(element: HTMLElement, content: JSONContent, label: string): Editor {
  return new Editor({
    element,
    editable: false,
    injectCSS: false,
    editorProps: { attributes: editorAttributes(label) },
    extensions: noteExtensions(),
    content,
  });
}

function editorAttributes(label: string): Record<string, string> {
  return { class: 'note-prose', 'aria-label': label, 'aria-multiline': 'true', role: 'textbox' };
}

/**
 * A colleague's caret: a line in their colour and a label with their name, both as the server
 * stamped them. Anything that is not a stamped identity shows as a neutral, unnamed caret.
 */
function caretElement(user: Record<string, unknown>): HTMLElement {
  const person = stampedPerson(0, { user });
  const caret = document.createElement('span');
  caret.className = 'note-caret';
  caret.setAttribute('aria-hidden', 'true');
  if (!person) return caret;
  caret.style.setProperty('--caret-colour', person.color);
  const label = document.createElement('span');
  label.className = 'note-caret-label';
  label.textContent = person.name;
  caret.append(label);
  return caret;
}
