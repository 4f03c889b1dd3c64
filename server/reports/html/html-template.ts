/**
 * A tagged template for HTML in which every interpolated value is escaped unless it is
 * already SafeHtml. Markup can only come from the template literals in this code base;
 * SIP content is always a plain string and so always escaped (html-escape.ts).
 *
 *   html`<td>${call.caller}</td>`           // caller escaped
 *   html`<ul>${items.map((i) => html`<li>${i}</li>`)}</ul>`
 */
import { escapeHtml } from '../html-escape.js';

/** HTML that is trusted: built by `html`, or produced by a renderer that escapes its own text. */
export class SafeHtml {
  constructor(readonly value: string) {}

  toString(): string {
    return this.value;
  }
}

export type HtmlValue = string | number | boolean | null | undefined | SafeHtml | readonly HtmlValue[];

function render(value: HtmlValue): string {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeHtml(String(value));
}

export function html(strings: TemplateStringsArray, ...values: readonly HtmlValue[]): SafeHtml {
  let out = strings[0] ?? '';
  for (let i = 0; i < values.length; i++) out += render(values[i]) + (strings[i + 1] ?? '');
  return new SafeHtml(out);
}

/** Marks markup from a trusted producer (the SVG ladder renderer, the style sheet) as safe. */
export function trusted(markup: string): SafeHtml {
  return new SafeHtml(markup);
}
