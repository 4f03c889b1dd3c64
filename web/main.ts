/**
 * Entry point of the web app: a small client-side router over the History API. The server
 * answers index.html for /calls, /calls/:id, /stats, /trunks and /registrations.
 */
import { callPage } from './call/call-page.js';
import { callListPage } from './call-list/call-list-page.js';
import { connectLive } from './live.js';
import { navigate, type Page } from './page.js';
import { registrationsPage } from './registrations/registrations-page.js';
import { statsPage } from './stats/stats-page.js';
import { trunksPage } from './trunks/trunks-page.js';
import { routeFor, type Route } from './routes.js';

function mount(root: HTMLElement, route: Route): Page {
  switch (route.page) {
    case 'call':
      return callPage(root, route.id);
    case 'stats':
      return statsPage(root);
    case 'trunks':
      return trunksPage(root);
    case 'registrations':
      return registrationsPage(root);
    case 'calls':
      return callListPage(root);
  }
}

function markNav(route: Route): void {
  const section = route.page === 'call' ? 'calls' : route.page;
  for (const link of document.querySelectorAll<HTMLAnchorElement>('[data-nav]')) {
    link.classList.toggle('active', link.dataset['nav'] === section);
  }
}

/** Same-origin links navigate inside the app (modified clicks keep the browser's behaviour). */
function interceptLinks(): void {
  document.addEventListener('click', (event) => {
    if (event.defaultPrevented || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return;
    const target = event.target instanceof Element ? event.target.closest('a') : null;
    if (target === null || target.target !== '' || target.origin !== location.origin) return;
    event.preventDefault();
    navigate(target.pathname + target.search);
  });
}

function start(): void {
  const root = document.getElementById('app');
  if (root === null) return;
  let page: Page | undefined;
  const render = () => {
    page?.dispose?.();
    const route = routeFor(location.pathname);
    markNav(route);
    page = mount(root, route);
    document.body.dataset['page'] = route.page;
  };
  interceptLinks();
  window.addEventListener('popstate', render);
  window.addEventListener('sipscope:navigate', render);
  connectLive(document.getElementById('live-status'), (change) => page?.onLive?.(change));
  render();
}

start();
