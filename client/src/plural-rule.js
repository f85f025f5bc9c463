// A catalogue's plural rule: which of its plural forms a count takes. The rule is the
// gettext `plural` expression, in the small part of C that gettext uses (n, whole
// numbers, ! == != < > <= >= && || % ?: and brackets), e.g. Polish's
//   n == 1 ? 0 : n % 10 >= 2 && n % 10 <= 4 && (n % 100 < 12 || n % 100 > 14) ? 1 : 2
// The pages' Content-Security-Policy forbids eval and new Function, so the rule is parsed
// here, once, into plain functions of n. As in C, a comparison is 1 or 0.
const TOKEN = /\s*(?:(\d+)|(n)|(==|!=|<=|>=|&&|\|\||[!<>%?:()]))/y;

const tokenise = (expression) => {
  const text = expression.trimEnd();
  const tokens = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < text.length) {
    const at = TOKEN.lastIndex;
    const match = TOKEN.exec(text);
    if (!match) throw new SyntaxError(`Plural rule: unexpected "${text.slice(at).trim()}"`);
    const [, number, n, operator] = match;
    tokens.push(number !== undefined ? { number: Number(number) } : { word: n ?? operator });
  }
  return tokens;
};

const truth = (value) => (value ? 1 : 0);

// Each level of C's precedence, lowest first; `a % 0` is 0 rather than NaN, as no real
// rule divides by zero.
const BINARY = [
  { '||': (a, b) => (n) => truth(a(n) || b(n)) },
  { '&&': (a, b) => (n) => truth(a(n) && b(n)) },
  { '==': (a, b) => (n) => truth(a(n) === b(n)), '!=': (a, b) => (n) => truth(a(n) !== b(n)) },
  {
    '<': (a, b) => (n) => truth(a(n) < b(n)),
    '>': (a, b) => (n) => truth(a(n) > b(n)),
    '<=': (a, b) => (n) => truth(a(n) <= b(n)),
    '>=': (a, b) => (n) => truth(a(n) >= b(n)),
  },
  { '%': (a, b) => (n) => (b(n) === 0 ? 0 : a(n) % b(n)) },
];

function parser(tokens) {
  let next = 0;
  const peek = () => tokens[next]?.word;
  const expect = (word) => {
    if (peek() !== word) throw new SyntaxError(`Plural rule: "${word}" expected`);
    next += 1;
  };

  const conditional = () => {
    const test = binary(0);
    if (peek() !== '?') return test;
    next += 1;
    const yes = conditional();
    expect(':');
    const no = conditional();
    return (n) => (test(n) ? yes(n) : no(n));
  };

  const binary = (level) => {
    if (level === BINARY.length) return unary();
    let left = binary(level + 1);
    while (peek() in BINARY[level]) {
      const make = BINARY[level][tokens[next].word];
      next += 1;
      left = make(left, binary(level + 1));
    }
    return left;
  };

  const unary = () => {
    if (peek() === '!') {
      next += 1;
      const operand = unary();
      return (n) => truth(!operand(n));
    }
    return primary();
  };

  const primary = () => {
    const token = tokens[next];
    next += 1;
    if (token?.number !== undefined) return () => token.number;
    if (token?.word === 'n') return (n) => n;
    if (token?.word === '(') {
      const inner = conditional();
      expect(')');
      return inner;
    }
    throw new SyntaxError('Plural rule: a number, n or "(" expected');
  };

  const whole = conditional();
  if (next !== tokens.length) throw new SyntaxError(`Plural rule: unexpected "${peek() ?? tokens[next].number}"`);
  return whole;
}

// The rule as a function from a count to the index of its plural form.
export function pluralRule(expression) {
  const rule = parser(tokenise(expression));
  return (count) => rule(Math.abs(Math.trunc(count)));
}
