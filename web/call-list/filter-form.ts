/** The call list's filter bar: status buttons, the common filters, and an "advanced" row. */
import { el } from '../dom.js';
import { isoToLocalInput, localInputToIso, type CallListState, type FilterKey } from '../url-state.js';

const STATUS_CHOICES: [string, string][] = [
  ['', 'All'],
  ['answered', 'Answered'],
  ['failed', 'Failed'],
  ['cancelled', 'Cancelled'],
  ['in_progress', 'In progress'],
];

interface FieldSpec {
  key: FilterKey;
  label: string;
  placeholder: string;
  width: string;
  type?: 'datetime-local';
}

const MAIN_FIELDS: FieldSpec[] = [
  { key: 'party', label: 'Party', placeholder: 'caller, callee or URI', width: 'w-l' },
  { key: 'code', label: 'Code', placeholder: '486, 4xx', width: 'w-s' },
  { key: 'ip', label: 'IP', placeholder: '10.0.0.1', width: 'w-m' },
  { key: 'q', label: 'Text', placeholder: 'in any message', width: 'w-l' },
];

const ADVANCED_FIELDS: FieldSpec[] = [
  { key: 'caller', label: 'Caller', placeholder: 'substring', width: 'w-m' },
  { key: 'callee', label: 'Callee', placeholder: 'substring', width: 'w-m' },
  { key: 'call_id', label: 'Call-ID', placeholder: 'exact', width: 'w-l' },
  { key: 'ua', label: 'User agent', placeholder: 'substring', width: 'w-m' },
  { key: 'header', label: 'Header', placeholder: 'e.g. Reason', width: 'w-s' },
  { key: 'match', label: 'matches /regex/', placeholder: 'cause=1[67]', width: 'w-m' },
  { key: 'from', label: 'From (UTC)', placeholder: '', width: 'w-m', type: 'datetime-local' },
  { key: 'to', label: 'To (UTC)', placeholder: '', width: 'w-m', type: 'datetime-local' },
];

function field(spec: FieldSpec, state: CallListState): HTMLLabelElement {
  const value = state.filters[spec.key];
  const input = el('input', {
    className: `input ${spec.width}`,
    attrs: { name: spec.key, placeholder: spec.placeholder, type: spec.type ?? 'text', autocomplete: 'off', spellcheck: 'false' },
  });
  input.value = spec.type === 'datetime-local' ? isoToLocalInput(value) : (value ?? '');
  return el('label', { className: 'field' }, [el('span', { className: 'field-label', text: spec.label }), input]);
}

function statusButtons(state: CallListState, onStatus: (status: string) => void): HTMLElement {
  const current = state.filters.status ?? '';
  const group = el('div', { className: 'segmented', attrs: { role: 'group', 'aria-label': 'Status' } });
  for (const [value, label] of STATUS_CHOICES) {
    const button = el('button', {
      className: `segment${value === current ? ' active' : ''}${value === '' ? '' : ` st-${value}`}`,
      text: label,
      attrs: { type: 'button', 'data-status': value, 'aria-pressed': String(value === current) },
    });
    button.addEventListener('click', () => onStatus(value));
    group.append(button);
  }
  return group;
}

/** Reads the form's inputs into filter values (datetime inputs converted to ISO 8601 UTC). */
function formValues(form: HTMLFormElement): Partial<Record<FilterKey, string>> {
  const values: Partial<Record<FilterKey, string>> = {};
  for (const spec of [...MAIN_FIELDS, ...ADVANCED_FIELDS]) {
    const input = form.elements.namedItem(spec.key);
    if (!(input instanceof HTMLInputElement)) continue;
    const raw = input.value.trim();
    values[spec.key] = spec.type === 'datetime-local' ? localInputToIso(raw) : raw;
  }
  return values;
}

export interface FilterFormHandlers {
  onApply(values: Partial<Record<FilterKey, string>>): void;
  onStatus(status: string): void;
  onReset(): void;
}

export function filterForm(state: CallListState, handlers: FilterFormHandlers): HTMLFormElement {
  const advancedOpen = ADVANCED_FIELDS.some((spec) => state.filters[spec.key] !== undefined);
  const advanced = el('div', { className: `filters-row advanced${advancedOpen ? '' : ' hidden'}` }, ADVANCED_FIELDS.map((spec) => field(spec, state)));
  const toggle = el('button', { className: 'btn btn-ghost', text: advancedOpen ? 'Fewer filters' : 'More filters', attrs: { type: 'button' } });
  toggle.addEventListener('click', () => {
    const hidden = advanced.classList.toggle('hidden');
    toggle.textContent = hidden ? 'More filters' : 'Fewer filters';
  });
  const reset = el('button', { className: 'btn btn-ghost', text: 'Reset', attrs: { type: 'button' } });
  reset.addEventListener('click', () => handlers.onReset());
  const form = el('form', { className: 'filters', attrs: { role: 'search' } }, [
    el('div', { className: 'filters-row' }, [
      statusButtons(state, handlers.onStatus),
      ...MAIN_FIELDS.map((spec) => field(spec, state)),
      el('button', { className: 'btn btn-primary', text: 'Search', attrs: { type: 'submit' } }),
      toggle,
      reset,
    ]),
    advanced,
  ]);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    handlers.onApply(formValues(form));
  });
  return form;
}
