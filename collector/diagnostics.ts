/**
 * The diagnostic catalog: every problem sipscope reports about its input has a stable
 * code (like Wireshark's expert info), a severity and a one-line explanation. Each layer
 * declares its own codes in its own `diagnostics.ts`; this module merges them so the CLI,
 * the store and the web can list them all.
 *
 * Bad input is data: a layer never throws on malformed bytes, it returns a Diagnostic.
 */
export type Severity = 'error' | 'warning' | 'info';

export interface DiagnosticSpec {
  severity: Severity;
  summary: string;
}

export interface Diagnostic {
  code: string;
  severity: Severity;
  /** Optional detail about this occurrence (offset, value seen, …). Attacker-controlled text may appear here. */
  detail?: string;
}

export type Catalog = Readonly<Record<string, DiagnosticSpec>>;

/** Builds a typed factory for one layer's catalog: `diag('tcp.gap', 'lost 1200 bytes')`. */
export function catalogFactory<C extends Catalog>(catalog: C) {
  return function diag(code: keyof C & string, detail?: string): Diagnostic {
    const spec = catalog[code]!;
    return detail === undefined
      ? { code, severity: spec.severity }
      : { code, severity: spec.severity, detail };
  };
}
