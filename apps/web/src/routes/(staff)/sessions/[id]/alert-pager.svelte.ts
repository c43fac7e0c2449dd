/**
 * What makes an alert impossible to miss on a staff screen beyond the board itself: the chime
 * (while something rings for this person), the operating system's notification while the page
 * is hidden or the device locked, and a flashing tab title. What rings for whom is
 * #lib/board/whose-alert.ts; the words a locked screen may show are #lib/board/lock-screen.ts.
 */
import { AlertTone } from '#lib/board/alert-tone.ts';
import { flashingTitle, type LockScreenNotice } from '#lib/board/lock-screen.ts';
import { screenPreferences, type SoundChoice } from '#lib/board/screen-preferences.ts';

export type NotifyPermission = NotificationPermission | 'unsupported';

/** A request (or urgent alert) that should reach this person, with what a lock screen may say. */
export interface Page {
  /** Changes when the request's state changes (waiting → escalated), so the notice comes again. */
  key: string;
  seat: number;
  notice: LockScreenNotice;
}

const FLASH_EVERY_MS = 1_500;

export class AlertPager {
  sound: SoundChoice = $state(screenPreferences.sound());
  /** Whether the browser lets the page play sound (false until a click unlocks it). */
  soundReady = $state(false);
  permission: NotifyPermission = $state(
    typeof Notification === 'undefined' ? 'unsupported' : Notification.permission,
  );
  hidden = $state(typeof document !== 'undefined' && document.visibilityState === 'hidden');
  /** While true the tab shows the flashing title instead of the page's own. */
  flashOn = $state(false);
  flashSeats: number[] = $state([]);

  #tone = new AlertTone();
  // Bookkeeping only (which notices went out), never shown: no reactivity wanted.
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  #noticed = new Set<string>();
  #flashTimer: ReturnType<typeof setInterval> | null = null;
  #onVisibility = () => (this.hidden = document.visibilityState === 'hidden');
  /** Any press on the page unlocks audio if the person had chosen sound before reloading. */
  #onFirstPress = () => void this.#unlock();

  constructor() {
    document.addEventListener('visibilitychange', this.#onVisibility);
    if (this.sound === 'on') document.addEventListener('pointerdown', this.#onFirstPress, { once: true });
  }

  async enableSound(): Promise<void> {
    this.sound = 'on';
    screenPreferences.setSound('on');
    await this.#unlock();
  }

  mute(): void {
    this.sound = 'muted';
    screenPreferences.setSound('muted');
    this.#tone.stop();
  }

  async enableNotifications(): Promise<void> {
    if (typeof Notification === 'undefined') return;
    this.permission = await Notification.requestPermission();
  }

  /**
   * Called whenever the board changes: `ringing` are the pages for this person now,
   * `unansweredSeats` every seat still waiting for someone (the title flashes for all of them).
   */
  update(ringing: readonly Page[], unansweredSeats: readonly number[]): void {
    if (ringing.length > 0 && this.sound === 'on' && this.soundReady) this.#tone.start();
    else this.#tone.stop();
    if (this.hidden && this.permission === 'granted') {
      for (const page of ringing) this.#notify(page);
    }
    this.flashSeats = [...unansweredSeats];
    if (unansweredSeats.length > 0) this.#startFlash();
    else this.#stopFlash();
  }

  /** The tab's title while flashing; null: the page's own. */
  get title(): string | null {
    return this.flashOn && this.flashSeats.length > 0 ? flashingTitle(this.flashSeats) : null;
  }

  close(): void {
    document.removeEventListener('visibilitychange', this.#onVisibility);
    document.removeEventListener('pointerdown', this.#onFirstPress);
    this.#stopFlash();
    this.#tone.close();
  }

  async #unlock(): Promise<void> {
    this.soundReady = await this.#tone.unlock();
  }

  #notify(page: Page): void {
    if (this.#noticed.has(page.key)) return;
    this.#noticed.add(page.key);
    try {
      const notification = new Notification(page.notice.title, {
        tag: page.notice.tag,
        requireInteraction: true,
      });
      notification.onclick = () => {
        window.focus();
        notification.close();
      };
    } catch {
      // Some browsers only notify from a service worker: the title flash and sound still run.
    }
  }

  #startFlash(): void {
    if (this.#flashTimer !== null) return;
    this.flashOn = true;
    this.#flashTimer = setInterval(() => (this.flashOn = !this.flashOn), FLASH_EVERY_MS);
  }

  #stopFlash(): void {
    if (this.#flashTimer !== null) clearInterval(this.#flashTimer);
    this.#flashTimer = null;
    this.flashOn = false;
  }
}
