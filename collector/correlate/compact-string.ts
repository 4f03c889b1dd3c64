/**
 * Strings correlation holds for as long as a record lives, made cheap to hold.
 *
 * Strings cut from a parsed message (a Call-ID, a tag) share memory with the whole header line
 * they were cut from (V8 SlicedString), and keys built by concatenation (keys.ts, copies.ts) are
 * trees of their pieces (ConsString): held for the seconds a finished call lingers, each costs
 * several times its length. compactString returns the same text backed by a copy of its own.
 *
 * How: JSON.parse builds every string value it reads as a new flat sequential string, so a
 * round trip through JSON is a copy that holds nothing else, in one object (~0.27 µs; the text
 * is unchanged, lone surrogates included, since JSON.stringify escapes them). The first way
 * (a property name, which V8 interns) cost 1.5–3 µs and was 15 % of a bulk import's main
 * thread; slicing a concatenation (V8 flattens it into a copy first) is as cheap but leaves a
 * 32-byte slice in front of every copy: ~6 MB over the 187,000 strings a 10,000-call import holds.
 */
/** SlicedString::kMinLength and ConsString::kMinLength in V8 (src/objects/string.h). */
const V8_MIN_SHARED_STRING_LENGTH = 13;

export function compactString(text: string): string {
  // V8 never makes a slice or a concatenation shorter than this: such a string is already a
  // flat copy of its own.
  if (text.length < V8_MIN_SHARED_STRING_LENGTH) return text;
  return JSON.parse(JSON.stringify(text)) as string;
}

/** compactString for an optional value. */
export function compactOptional(text: string | undefined): string | undefined {
  return text === undefined ? undefined : compactString(text);
}
