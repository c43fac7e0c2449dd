/**
 * What a staff device shows about a support request when nobody is looking at the board: the
 * operating system's notification (also on a locked screen) and the tab's title. Both can be
 * read by anyone near the device, so they carry the seat number and nothing else — never the
 * participant's name, never what the request or alert is about (PRODUCT §3.1).
 */
import { m } from '#lib/paraglide/messages.js';

export interface LockScreenNotice {
  title: string;
  /** One tag per request: the system replaces, never repeats, a notice with the same tag. */
  tag: string;
}

/** Only the seat and the request id travel in: nothing else can leak into the text. */
export function supportNotice(request: { requestId: string; seat: number }): LockScreenNotice {
  return { title: m.board_notice_needs_support({ seat: request.seat }), tag: `support-${request.requestId}` };
}

/** An urgent alert: the seat, and that it needs someone — never what the alert is about. */
export function alertNotice(alert: { alertId: string; seat: number }): LockScreenNotice {
  return { title: m.board_notice_needs_attention({ seat: alert.seat }), tag: `alert-${alert.alertId}` };
}

/** The tab title while a request waits: alternates with the page's own title. */
export function flashingTitle(seats: readonly number[]): string {
  if (seats.length === 1) return `(!) ${m.board_notice_needs_support({ seat: seats[0]! })}`;
  return `(!) ${m.board_notice_many_need_support({ seats: seats.join(', ') })}`;
}
