/**
 * Strings correlation holds for as long as a record lives, made cheap to hold.
 *
 * Strings cut from a parsed message (a Call-ID, a tag) share memory with the whole header line
 * they were cut from, and keys built by concatenation (keys.ts, copies.ts) are trees of their
 * pieces: held for the 32 s a finished call lingers, each costs several times its length. A
 * property name is stored as one flat, deduplicated string, so going through one gives a compact
 * copy, shared by every record holding the same text (a Call-ID in a call, its dialogs and
 * transactions; an address pair in every transaction between two hosts). The text is unchanged.
 */
/** SlicedString::kMinLength and ConsString::kMinLength in V8 (src/objects/string.h). */
const V8_MIN_SHARED_STRING_LENGTH = 13;

export function compactString(text: string): string {
  // V8 never makes a slice or a concatenation shorter than this: such a string is already a
  // flat copy of its own, and sharing it saves less than the lookup costs (~1 µs).
  if (text.length < V8_MIN_SHARED_STRING_LENGTH) return text;
  const holder: Record<string, true> = { [text]: true };
  for (const key in holder) return key;
  return text;
}

/** compactString for an optional value. */
export function compactOptional(text: string | undefined): string | undefined {
  return text === undefined ? undefined : compactString(text);
}
