/**
 * Diagnostic catalog of the source layer: problems found in HEP (Homer Encapsulation
 * Protocol) envelopes. Capture *files* do not use diagnostics: a damaged file stops with a
 * CaptureFileError (see capture-error.ts) after every complete frame before the damage.
 */
import { catalogFactory, type Catalog } from '../diagnostics.js';

export const SOURCE_CATALOG = {
  'hep.not_hep': { severity: 'error', summary: 'Datagram is neither HEP3 ("HEP3" magic) nor a HEP v2 header' },
  'hep.unsupported_version': { severity: 'error', summary: 'HEP version other than 2 or 3' },
  'hep.truncated': { severity: 'error', summary: 'HEP packet shorter than its header or its declared total length' },
  'hep.bad_length': { severity: 'error', summary: 'HEP length field impossible (shorter than the header it counts)' },
  'hep.truncated_chunk': { severity: 'error', summary: 'HEP3 chunk runs past the end of the packet; the rest is ignored' },
  'hep.trailing_bytes': { severity: 'warning', summary: 'Bytes after the declared HEP3 total length were ignored' },
  'hep.unknown_chunk': { severity: 'info', summary: 'HEP3 chunk of an unknown vendor or type skipped' },
  'hep.bad_chunk_value': { severity: 'warning', summary: 'HEP3 chunk has the wrong size for its type; ignored' },
  'hep.duplicate_chunk': { severity: 'warning', summary: 'HEP3 chunk type repeated; the first one is kept' },
  'hep.missing_chunk': { severity: 'warning', summary: 'HEP3 packet lacks an address, port or time chunk; a zero value is used' },
  'hep.bad_family': { severity: 'warning', summary: 'HEP IP family is neither AF_INET (2) nor AF_INET6 (10)' },
  'hep.family_mismatch': { severity: 'warning', summary: 'HEP IP family chunk disagrees with the address chunks present' },
  'hep.no_payload': { severity: 'error', summary: 'HEP packet carries no payload chunk' },
  'hep.inflate_failed': { severity: 'error', summary: 'HEP3 compressed payload (chunk 16) is not valid zlib/gzip data' },
  'hep.inflate_too_large': { severity: 'error', summary: 'HEP3 compressed payload inflates past LIMITS.hepInflatedPayloadBytes' },
} as const satisfies Catalog;

export type SourceDiagnosticCode = keyof typeof SOURCE_CATALOG;

/** `sourceDiag('hep.truncated_chunk', 'chunk type 15 at offset 120 needs 600 bytes, 40 left')`. */
export const sourceDiag = catalogFactory(SOURCE_CATALOG);
