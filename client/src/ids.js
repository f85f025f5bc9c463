// Client-made ids: op ids are the server's idempotency keys, card and scale ids let a
// new card or scale show at once. Letters and digits only, so they pass the server's id check.
const ALPHABET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const RANDOM_CHARS = 16; // about 95 bits: collisions are not a concern

export function randomId(prefix) {
  const bytes = crypto.getRandomValues(new Uint8Array(RANDOM_CHARS));
  let id = prefix;
  for (const byte of bytes) id += ALPHABET[byte % ALPHABET.length];
  return id;
}

export const newOpId = () => randomId('o_');
export const newCardId = () => randomId('c_');
export const newItemId = () => randomId('i_'); // a line of the family's own plan, a child's item
export const newScaleId = () => randomId('s_');
