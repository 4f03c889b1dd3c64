/**
 * Strings correlation holds for as long as a record lives, made cheap to hold.
 *
 * Strings cut from a parsed message (a Call-ID, a tag) share memory with the whole header line
 * they were cut from (V8 SlicedString), and keys built by concatenation (keys.ts, copies.ts) are
 * trees of their pieces (ConsString): held for the seconds a finished call lingers, each costs
 * several times its length. compactString returns the same text backed by a copy of its own.
 *
 * How: slicing a concatenation makes V8 flatten it first (String::Flatten copies the characters
 * into one new sequential string), and the slice then points into that copy, which holds
 * nothing else. ~0.2 µs per string; the earlier way (a property name, which V8 interns and
 * deduplicates) cost 1.5–3 µs and was 15 % of a bulk import's main thread, for a few MB saved.
 */
/** SlicedString::kMinLength and ConsString::kMinLength in V8 (src/objects/string.h). */
const V8_MIN_SHARED_STRING_LENGTH = 13;

export function compactString(text: string): string {
  // V8 never makes a slice or a concatenation shorter than this: such a string is already a
  // flat copy of its own.
  if (text.length < V8_MIN_SHARED_STRING_LENGTH) return text;
  return (text + ' ').slice(0, -1);
}

/** compactString for an optional value. */
export function compactOptional(text: string | undefined): string | undefined {
  return text === undefined ? undefined : compactString(text);
}
