/** The web app's client-side routes (pure: tested without a DOM). */

export type Route =
  | { page: 'calls' }
  | { page: 'call'; id: number }
  | { page: 'stats' }
  | { page: 'trunks' }
  | { page: 'registrations' };

/** Path → route; anything unknown shows the call list. */
export function routeFor(pathname: string): Route {
  const parts = pathname.split('/').filter((part) => part !== '');
  if (parts[0] === 'calls' && parts.length === 2) {
    const id = Number(parts[1]);
    if (Number.isSafeInteger(id) && id > 0) return { page: 'call', id };
  }
  if (parts[0] === 'stats') return { page: 'stats' };
  if (parts[0] === 'trunks') return { page: 'trunks' };
  if (parts[0] === 'registrations') return { page: 'registrations' };
  return { page: 'calls' };
}
