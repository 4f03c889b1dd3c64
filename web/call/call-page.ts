/**
 * `/calls/:id`: the call's summary, its ladder and the message panel. `?msg=ID` in the URL
 * selects a message, so a link can point at one arrow.
 */
import type { LadderModel } from '../../server/api/ladder-dto.js';
import type { MessageDetailDto } from '../../server/api/message-dto.js';
import { ApiError, api } from '../api-client.js';
import { clear, el } from '../dom.js';
import { ladderChart, type LadderChart } from '../ladder/ladder-chart.js';
import { stepSelection } from '../ladder/layout.js';
import { renderDiff, renderMessage, renderPanelMessage } from '../message/message-panel.js';
import type { Page } from '../page.js';
import { callHeader } from './call-header.js';

function toolbar(chart: () => LadderChart | undefined, model: () => LadderModel | undefined): HTMLElement {
  const button = (text: string, title: string, action: (c: LadderChart) => void) => {
    const b = el('button', { className: 'btn btn-small', text, title, attrs: { type: 'button' } });
    b.addEventListener('click', () => {
      const c = chart();
      if (c !== undefined) action(c);
    });
    return b;
  };
  const info = el('span', { className: 'ladder-info' });
  const refreshInfo = () => {
    const m = model();
    if (m === undefined) return;
    info.textContent = `${m.arrows.length} messages · ${m.participants.length} hosts${m.legs.length > 1 ? ` · ${m.legs.length} legs` : ''}${m.truncated ? ' · truncated' : ''}`;
  };
  const bar = el('div', { className: 'ladder-toolbar' }, [
    button('−', 'Zoom out', (c) => c.zoomBy(1 / 1.25)),
    button('+', 'Zoom in', (c) => c.zoomBy(1.25)),
    button('Reset', 'Reset zoom', (c) => c.resetZoom()),
    info,
    el('span', { className: 'legend' }, [
      el('span', { className: 'lg lg-tx', text: 'colour = transaction' }),
      el('span', { className: 'lg lg-retrans', text: '↻ retransmission' }),
      el('span', { className: 'lg lg-keys', text: 'drag to pan · ctrl+wheel to zoom' }),
    ]),
  ]);
  bar.addEventListener('sipscope:refresh', refreshInfo);
  return bar;
}

function isTyping(target: EventTarget | null): boolean {
  return target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement;
}

export function callPage(root: HTMLElement, callId: number): Page {
  clear(root);
  const head = el('div', { className: 'call-head-host' });
  const ladderHost = el('div', { className: 'ladder-host', title: 'Drag to pan, ctrl + wheel to zoom, ↑/↓ to step through messages', attrs: { tabindex: '0', 'aria-label': 'Ladder diagram' } });
  const panel = el('aside', { className: 'message-panel', attrs: { 'aria-label': 'Message' } });
  let chart: LadderChart | undefined;
  let model: LadderModel | undefined;
  let selected: number | null = null;
  let marked: number | null = null;
  const cache = new Map<number, Promise<MessageDetailDto>>();
  const bar = toolbar(() => chart, () => model);
  root.append(el('section', { className: 'page page-call' }, [head, el('div', { className: 'call-body' }, [el('div', { className: 'ladder-pane' }, [bar, ladderHost]), panel])]));
  renderPanelMessage(panel, 'Click an arrow to read the message.');

  const fetchMessage = (id: number) => {
    let pending = cache.get(id);
    if (pending === undefined) {
      pending = api.message(id);
      cache.set(id, pending);
    }
    return pending;
  };
  const messageIdAt = (index: number | null) => (index === null ? undefined : model?.arrows[index]?.message_id);

  const showSelection = async () => {
    const a = messageIdAt(selected);
    const b = messageIdAt(marked);
    if (a === undefined) return;
    try {
      const first = await fetchMessage(a);
      if (b === undefined) {
        renderMessage(panel, first, () => void navigator.clipboard?.writeText(first.raw));
      } else {
        renderDiff(panel, first, await fetchMessage(b), () => select(selected, false));
      }
    } catch (err) {
      renderPanelMessage(panel, err instanceof ApiError ? err.message : 'Could not load the message.');
    }
  };

  const select = (index: number | null, extend: boolean) => {
    if (extend && selected !== null && index !== selected) marked = index;
    else {
      selected = index;
      marked = null;
    }
    chart?.select(selected);
    chart?.mark(marked);
    const id = messageIdAt(selected);
    history.replaceState(null, '', id === undefined ? `/calls/${callId}` : `/calls/${callId}?msg=${id}`);
    void showSelection();
  };

  const onKey = (event: KeyboardEvent) => {
    if (isTyping(event.target) || model === undefined) return;
    if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return;
    event.preventDefault();
    select(stepSelection(selected, event.key === 'ArrowDown' ? 1 : -1, model.arrows.length), false);
  };
  document.addEventListener('keydown', onKey);
  const onResize = () => chart?.resize();
  window.addEventListener('resize', onResize);

  const showLadder = (next: LadderModel) => {
    model = next;
    chart ??= ladderChart(ladderHost, { onSelect: (index, extend) => select(index, extend) });
    chart.update(next);
    bar.dispatchEvent(new Event('sipscope:refresh'));
  };

  const load = async () => {
    try {
      const [call, ladder] = await Promise.all([api.call(callId), api.ladder(callId)]);
      head.append(callHeader(call));
      showLadder(ladder);
      const wanted = Number(new URLSearchParams(location.search).get('msg'));
      const index = ladder.arrows.findIndex((arrow) => arrow.message_id === wanted);
      if (index >= 0) select(index, false);
    } catch (err) {
      clear(root);
      root.append(el('div', { className: 'error', text: err instanceof ApiError ? err.message : 'Could not load the call.', attrs: { role: 'alert' } }));
    }
  };
  void load();

  return {
    onLive() {
      void api.ladder(callId).then((next) => {
        if (model === undefined || next.arrows.length !== model.arrows.length) showLadder(next);
      }, () => undefined);
    },
    dispose() {
      document.removeEventListener('keydown', onKey);
      window.removeEventListener('resize', onResize);
    },
  };
}
