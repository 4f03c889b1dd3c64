/** The live stream (`/api/live`, server-sent events): tells the current page when the database changed. */
import type { LiveChange } from '../server/api/live-dto.js';

export type LiveHandler = (change: LiveChange) => void;

function isLiveChange(value: unknown): value is LiveChange {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v['messages'] === 'number' && typeof v['calls'] === 'number' && typeof v['version'] === 'number';
}

/** Connects and reconnects (EventSource does both); the indicator shows the state. */
export function connectLive(indicator: HTMLElement | null, onChange: LiveHandler): EventSource {
  const source = new EventSource('/api/live');
  const show = (text: string, state: string) => {
    if (indicator === null) return;
    indicator.textContent = text;
    indicator.dataset['state'] = state;
  };
  source.addEventListener('open', () => show('live', 'on'));
  source.addEventListener('error', () => show('offline', 'off'));
  source.addEventListener('change', (event) => {
    let parsed: unknown;
    try {
      parsed = JSON.parse((event as MessageEvent<string>).data);
    } catch {
      return;
    }
    if (isLiveChange(parsed)) onChange(parsed);
  });
  return source;
}
