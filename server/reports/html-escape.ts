/**
 * Escaping for every piece of text the HTML report and the SVG ladder embed. SIP content is
 * written by whoever sent the packet: a display name may be `<script>`, a User-Agent may
 * close an attribute. Everything goes through `escapeHtml`, in text and in attribute values
 * (double-quoted) alike, so no SIP byte can become markup.
 *
 * The output is also valid XML 1.0 (a standalone SVG is XML): characters XML forbids
 * (C0 controls other than TAB, LF, CR; lone surrogates; U+FFFE, U+FFFF) become U+FFFD.
 */

const REPLACEMENT = '\uFFFD';

const ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Characters that need work: markup, forbidden controls, surrogates (checked pairwise below), non-characters. */
const NEEDS_WORK = /[&<>"'\u0000-\u0008\u000b\u000c\u000e-\u001f\ud800-\udfff\ufffe\uffff]/;

function isForbiddenControl(code: number): boolean {
  return code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

/** Escapes text for HTML and XML text content and double- or single-quoted attribute values. */
export function escapeHtml(text: string): string {
  if (!NEEDS_WORK.test(text)) return text;
  let out = '';
  let runStart = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    let replacement: string | undefined = ENTITIES[text.charAt(i)];
    if (replacement === undefined) {
      if (isForbiddenControl(code) || code === 0xfffe || code === 0xffff || isLowSurrogate(code)) {
        replacement = REPLACEMENT;
      } else if (isHighSurrogate(code)) {
        if (isLowSurrogate(text.charCodeAt(i + 1))) {
          i++; // a valid pair stays as it is
          continue;
        }
        replacement = REPLACEMENT;
      } else {
        continue;
      }
    }
    out += text.slice(runStart, i) + replacement;
    runStart = i + 1;
  }
  return out + text.slice(runStart);
}
