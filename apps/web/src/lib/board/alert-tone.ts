/**
 * The board's alert sound: a soft two-note chime made with WebAudio (no audio file to fetch,
 * nothing from elsewhere), repeated gently while something is unanswered. Browsers start audio
 * only after a person pressed something on the page, so `unlock` runs from a click; until it
 * has, `ready` is false and the page shows an "enable sound" button instead of failing silently.
 */

/** Seconds between chimes: often enough not to be missed, calm enough for a dosing room. */
export const CHIME_EVERY_MS = 4_000;

export class AlertTone {
  #context: AudioContext | null = null;
  #timer: ReturnType<typeof setInterval> | null = null;

  /** Whether the browser lets this page make sound now. */
  get ready(): boolean {
    return this.#context?.state === 'running';
  }

  /** Call from a user gesture (a click): creates or resumes the audio context. */
  async unlock(): Promise<boolean> {
    if (typeof AudioContext === 'undefined') return false;
    this.#context ??= new AudioContext();
    if (this.#context.state !== 'running') await this.#context.resume().catch(() => undefined);
    return this.ready;
  }

  /** Starts the repeating chime (one at once, then every few seconds); a second call is a no-op. */
  start(): void {
    if (this.#timer !== null) return;
    this.#chime();
    this.#timer = setInterval(() => this.#chime(), CHIME_EVERY_MS);
  }

  stop(): void {
    if (this.#timer !== null) clearInterval(this.#timer);
    this.#timer = null;
  }

  close(): void {
    this.stop();
    void this.#context?.close().catch(() => undefined);
    this.#context = null;
  }

  #chime(): void {
    const context = this.#context;
    if (!context || context.state !== 'running') return;
    // Two sine notes a fifth apart, soft attack and long decay: noticeable, never a siren.
    [659.25, 987.77].forEach((frequency, index) => {
      const start = context.currentTime + index * 0.28;
      const oscillator = context.createOscillator();
      const gain = context.createGain();
      oscillator.type = 'sine';
      oscillator.frequency.value = frequency;
      gain.gain.setValueAtTime(0.0001, start);
      gain.gain.exponentialRampToValueAtTime(0.25, start + 0.04);
      gain.gain.exponentialRampToValueAtTime(0.0001, start + 0.9);
      oscillator.connect(gain).connect(context.destination);
      oscillator.start(start);
      oscillator.stop(start + 0.95);
    });
  }
}
