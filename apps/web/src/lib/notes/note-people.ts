/**
 * Who a colleague with a note open is, as read from their awareness. The server overwrites every
 * awareness `user` with the identity of the socket's session (BI-Y14), so this is never their own
 * claim; it is still read defensively, because it ends up in the page: a colour is used only
 * when it is a plain hex colour.
 */

/** A colleague with the note open, as the server stamped them. */
export interface NotePerson {
  clientId: number;
  name: string;
  color: string;
}

interface AwarenessState {
  user?: { name?: unknown; color?: unknown };
}

const HEX_COLOUR = /^#[0-9a-f]{6}$/i;

/** A stamped identity read defensively: a colour is used only if it is a plain hex colour. */
export function stampedPerson(clientId: number, state: unknown): NotePerson | null {
  const user = (state as AwarenessState | null)?.user;
  if (!user || typeof user.name !== 'string' || user.name === '') return null;
  const color = typeof user.color === 'string' && HEX_COLOUR.test(user.color) ? user.color : '#5a5f6b';
  return { clientId, name: user.name, color };
}
