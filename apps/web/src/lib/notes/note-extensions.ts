/**
 * The editor's schema for circle notes and private process notes: exactly the nodes and marks
 * of NOTE_NODES / NOTE_MARKS (@cairn/domain circle-notes.ts), which the server also checks, so
 * the editor never makes something the server refuses (BI-Y11). StarterKit brings more than
 * that (code, code blocks, an undo history that would fight Yjs's own); those are switched off
 * here, and note-extensions.test.ts compares the resulting schema with the domain's lists.
 *
 * This module pulls in Tiptap: import it only from note-editor.ts, which staff pages load on
 * demand, so neither the tablet bundle nor a session page that never opens notes carries it.
 */
import type { Attribute, Extensions } from '@tiptap/core';
import Link from '@tiptap/extension-link';
import StarterKit from '@tiptap/starter-kit';
import { linkHrefProblem } from '@cairn/domain';

/** Heading levels the schema allows (the domain's `heading_level` rule). */
export const NOTE_HEADING_LEVELS = [1, 2, 3] as const;

/**
 * Link without its `title` attribute (the domain's link mark has none), and only with
 * addresses the domain accepts: a typed, pasted or auto-detected address with another scheme
 * (`javascript:`, `data:`, `ftp:`…) never becomes a link.
 */
const NoteLink = Link.extend({
  addAttributes() {
    const attributes: Record<string, Attribute> = { ...this.parent?.() };
    delete attributes['title'];
    return attributes;
  },
}).configure({
  openOnClick: false,
  autolink: true,
  linkOnPaste: true,
  defaultProtocol: 'https',
  protocols: [],
  isAllowedUri: (url) => linkHrefProblem(url) === null,
  HTMLAttributes: { target: '_blank', rel: 'noopener noreferrer nofollow', class: null },
});

/** The schema and input behaviour of a note, without any collaboration. */
export function noteExtensions(): Extensions {
  return [
    StarterKit.configure({
      code: false,
      codeBlock: false,
      // Collaboration brings its own undo, per person, over the shared document.
      undoRedo: false,
      // Every client would add its own trailing paragraph at once: duplicates in a shared doc.
      trailingNode: false,
      link: false,
      heading: { levels: [...NOTE_HEADING_LEVELS] },
    }),
    NoteLink,
  ];
}
