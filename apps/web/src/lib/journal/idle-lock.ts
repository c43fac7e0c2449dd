/**
 * The shared-tablet idle lock: after JOURNAL_IDLE_LOCK_MS with no touch, pen, mouse or key, the
 * journal locks (its key and text leave memory). A timer alone is not enough — a tablet that
 * sleeps stops timers — so the elapsed time is also checked whenever the page becomes visible.
 */
import { JOURNAL_IDLE_LOCK_MS } from '@cairn/domain';

const ACTIVITY_EVENTS = ['pointerdown', 'pointermove', 'keydown', 'wheel', 'touchstart'] as const;

export interface IdleWatch {
  /** Counts as activity (e.g. a stroke drawn by a stylus the page handles itself). */
  touch(): void;
  stop(): void;
}

/** Calls `onIdle` once after `ms` without activity on `target` (window by default). */
export function watchIdle(
  onIdle: () => void,
  options: { ms?: number; target?: EventTarget; now?: () => number } = {},
): IdleWatch {
  const ms = options.ms ?? JOURNAL_IDLE_LOCK_MS;
  const now = options.now ?? Date.now;
  const target = options.target ?? (typeof window === 'undefined' ? null : window);
  let last = now();
  let timer: ReturnType<typeof setTimeout> | null = null;
  let stopped = false;

  const fire = () => {
    if (stopped) return;
    stop();
    onIdle();
  };
  const arm = () => {
    if (timer !== null) clearTimeout(timer);
    timer = setTimeout(fire, ms);
  };
  const touch = () => {
    if (stopped) return;
    // pointermove fires many times a second: re-arm at most once a second.
    const at = now();
    if (at - last < 1000 && timer !== null) return;
    last = at;
    arm();
  };
  const visible = () => {
    if (typeof document !== 'undefined' && document.visibilityState !== 'visible') return;
    if (now() - last >= ms) fire();
  };
  function stop() {
    stopped = true;
    if (timer !== null) clearTimeout(timer);
    timer = null;
    for (const type of ACTIVITY_EVENTS) target?.removeEventListener(type, touch);
    if (typeof document !== 'undefined') document.removeEventListener('visibilitychange', visible);
  }

  for (const type of ACTIVITY_EVENTS) target?.addEventListener(type, touch, { passive: true });
  if (typeof document !== 'undefined') document.addEventListener('visibilitychange', visible);
  arm();
  return {
    touch: () => {
      last = 0;
      touch();
    },
    stop,
  };
}
