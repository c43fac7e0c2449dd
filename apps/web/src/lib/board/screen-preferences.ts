/**
 * This screen's own choices on the live board: the dim theme (kept in localStorage, it is a
 * property of the device in the dosing room) and whether the alert sound is on or muted (kept in
 * sessionStorage: a new sign-in starts with sound, so a forgotten mute cannot outlive the day).
 * Neither holds anything about a person.
 */
const DIM_KEY = 'cairn.board.dim';
const SOUND_KEY = 'cairn.board.sound';

export type SoundChoice = 'on' | 'muted' | 'unset';

function read(storage: () => Storage, key: string): string | null {
  try {
    return storage().getItem(key);
  } catch {
    // Private modes and locked-down browsers may refuse storage: the default is then used.
    return null;
  }
}

function write(storage: () => Storage, key: string, value: string): void {
  try {
    storage().setItem(key, value);
  } catch {
    // Not remembered; the choice still holds for this page.
  }
}

export const screenPreferences = {
  dim: (): boolean => read(() => localStorage, DIM_KEY) === '1',
  setDim: (on: boolean) => write(() => localStorage, DIM_KEY, on ? '1' : '0'),
  sound: (): SoundChoice => {
    const value = read(() => sessionStorage, SOUND_KEY);
    return value === 'on' || value === 'muted' ? value : 'unset';
  },
  setSound: (choice: 'on' | 'muted') => write(() => sessionStorage, SOUND_KEY, choice),
};
