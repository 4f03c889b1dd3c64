/**
 * Every diagnostic code of the collector in one listing: the catalogs each layer declares
 * (collector/<layer>/*diagnostics*.ts), merged in pipeline order, each code tagged with the
 * layer that declares it. The CLI, the store, the web and the README list codes from here.
 */
import type { Catalog, DiagnosticSpec } from './diagnostics.js';
import { CORRELATE_CATALOG } from './correlate/diagnostics.js';
import { DECODE_CATALOG } from './decode/diagnostics.js';
import { STREAM_DIAGNOSTICS } from './decode/stream-diagnostics.js';
import { SIP_PARSE_CATALOG } from './sip/diagnostics.js';
import { FRAMING_DIAGNOSTICS } from './sip/framing-diagnostics.js';
import { SOURCE_CATALOG } from './source/diagnostics.js';

export type CatalogEntry = DiagnosticSpec & { layer: string };

/** One layer's catalog and where it is declared. */
export interface LayerCatalog {
  layer: string;
  module: string;
  catalog: Catalog;
}

/** Every catalog, in pipeline order (source → decode → sip → correlate). */
export const LAYER_CATALOGS: readonly LayerCatalog[] = [
  { layer: 'source', module: 'collector/source/diagnostics.ts', catalog: SOURCE_CATALOG },
  { layer: 'decode', module: 'collector/decode/diagnostics.ts', catalog: DECODE_CATALOG },
  { layer: 'decode', module: 'collector/decode/stream-diagnostics.ts', catalog: STREAM_DIAGNOSTICS },
  { layer: 'sip', module: 'collector/sip/framing-diagnostics.ts', catalog: FRAMING_DIAGNOSTICS },
  { layer: 'sip', module: 'collector/sip/diagnostics.ts', catalog: SIP_PARSE_CATALOG },
  { layer: 'correlate', module: 'collector/correlate/diagnostics.ts', catalog: CORRELATE_CATALOG },
];

/** A code declared more than once, and where. */
export interface DuplicateCode {
  code: string;
  modules: string[];
  /** Whether every declaration has the same severity and summary. */
  sameSpec: boolean;
}

/** Merges catalogs; a code declared twice keeps its first declaration and is reported. */
export function mergeCatalogs(parts: readonly LayerCatalog[]): {
  diagnostics: Record<string, CatalogEntry>;
  duplicates: DuplicateCode[];
} {
  const diagnostics: Record<string, CatalogEntry> = {};
  const declaredIn = new Map<string, string>();
  const duplicates = new Map<string, DuplicateCode>();
  for (const { layer, module, catalog } of parts) {
    for (const [code, spec] of Object.entries(catalog)) {
      const first = diagnostics[code];
      if (first === undefined) {
        diagnostics[code] = { severity: spec.severity, summary: spec.summary, layer };
        declaredIn.set(code, module);
        continue;
      }
      const duplicate = duplicates.get(code) ?? { code, modules: [declaredIn.get(code) ?? ''], sameSpec: true };
      duplicate.modules.push(module);
      duplicate.sameSpec &&= first.severity === spec.severity && first.summary === spec.summary;
      duplicates.set(code, duplicate);
    }
  }
  return { diagnostics, duplicates: [...duplicates.values()] };
}

/** Every diagnostic code of the collector, in pipeline order then declaration order. */
export const ALL_DIAGNOSTICS: Readonly<Record<string, CatalogEntry>> = Object.freeze(mergeCatalogs(LAYER_CATALOGS).diagnostics);

/** The catalog as a Markdown table (code, severity, layer, meaning), one row per code, for the README. */
export function formatDiagnosticCatalog(catalog: Readonly<Record<string, CatalogEntry>> = ALL_DIAGNOSTICS): string {
  const rows = Object.entries(catalog).map(
    ([code, { severity, layer, summary }]) => `| \`${code}\` | ${severity} | ${layer} | ${markdownCell(summary)} |`,
  );
  return ['| Code | Severity | Layer | Meaning |', '| --- | --- | --- | --- |', ...rows].join('\n') + '\n';
}

/** Text safe inside one Markdown table cell: pipes escaped, line breaks as spaces. */
function markdownCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');
}
