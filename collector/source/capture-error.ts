/**
 * Errors of capture-file reading. A damaged file is reported once, after every complete
 * frame before the damage has been yielded: the message is one line naming the file and
 * the byte offset, e.g. `a.pcap: truncated packet record at byte offset 912 (need 74 bytes, have 30)`.
 */

/** The file is damaged or is not a capture; `offset` is where the damage starts. */
export class CaptureFileError extends Error {
  override readonly name = 'CaptureFileError';

  constructor(
    /** The path as given (`-` for standard input). */
    readonly file: string,
    /** Byte offset of the damaged unit (in the decompressed data for a gzip file). */
    readonly offset: number,
    /** The message without the file name. */
    readonly detail: string,
    options?: ErrorOptions,
  ) {
    super(`${file}: ${detail}`, options);
  }
}

/** A structural problem found by a format parser; the reader turns it into a CaptureFileError at the unit's offset. */
export class FormatProblem {
  constructor(
    /** What is wrong, phrased to read well before "at byte offset N": `impossible block length 7`. */
    readonly what: string,
    /** Optional explanation appended in parentheses. */
    readonly why?: string,
  ) {}
}

/** The byte source itself broke mid-stream (corrupt or cut gzip data). */
export class DamagedInputError extends Error {
  override readonly name = 'DamagedInputError';

  constructor(readonly problem: FormatProblem, options?: ErrorOptions) {
    super(problem.why === undefined ? problem.what : `${problem.what}: ${problem.why}`, options);
  }
}
