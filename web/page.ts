/** What the router expects of a page. */
import type { LiveChange } from '../server/api/live-dto.js';

export interface Page {
  /** Called when the database changed (live stream). */
  onLive?(change: LiveChange): void;
  /** Called before the router replaces the page. */
  dispose?(): void;
}

/** Navigates inside the single-page app (the router listens to this). */
export function navigate(url: string, replace = false): void {
  if (replace) history.replaceState(null, '', url);
  else history.pushState(null, '', url);
  window.dispatchEvent(new Event('sipscope:navigate'));
}
