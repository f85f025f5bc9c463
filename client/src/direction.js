// Which way a piece of people's text reads, as a browser decides dir="auto": from its
// first letter, 'rtl' for the scripts written right to left, else 'ltr'; null when it has
// no letter (a number, a sign).
const RIGHT_TO_LEFT = /[\p{Script=Arabic}\p{Script=Hebrew}\p{Script=Syriac}\p{Script=Thaana}\p{Script=Nko}\p{Script=Adlam}]/u;
const LETTER = /\p{L}/u;

export function textDirection(text) {
  for (const char of String(text ?? '')) {
    if (LETTER.test(char)) return RIGHT_TO_LEFT.test(char) ? 'rtl' : 'ltr';
  }
  return null;
}
