/**
 * splice.ts: replacing one function (or class method) of a source file with another text,
 * the way an exercise stages its starting point: the engine's own function is the reference
 * solution, and the exercise's start/ file holds a stub or broken version of the same
 * function that is spliced in over it.
 *
 * The function is found by name, from the line that declares it to its matching closing
 * brace; everything else in the file (its doc comment included) is left as it is, so a start
 * file keeps applying while the rest of the engine changes.
 */

/** Where a function's declaration starts and its body ends (end is exclusive) in `source`. */
export interface Span {
  start: number;
  end: number;
}

/**
 * Finds the declaration of function or method `name` in `source`: a line that declares it
 * (`function name(`, `export function name(`, or a class member `private name(`, `get name(`,
 * `name(` ...) and the brace that closes its body. Throws when there is not exactly one.
 */
export function findFunction(source: string, name: string): Span {
  const decl = new RegExp(
    `^[ \\t]*(?:export[ \\t]+)?(?:async[ \\t]+)?(?:function\\*?[ \\t]+|(?:(?:private|protected|public|static|override|readonly|async)[ \\t]+)*\\*?)${name}[ \\t]*(?:<[^>\\n]*>)?\\(`,
    'gm',
  );
  // A call statement looks like a method declaration up to its "(": keep only the matches
  // whose parameter list is followed (on the same line) by an optional return type and "{".
  const hits = [...source.matchAll(decl)].filter((m) => {
    let i = m.index! + m[0].length;
    for (let depth = 1; i < source.length && depth > 0; i++) {
      if (source[i] === '(') depth++;
      else if (source[i] === ')') depth--;
    }
    const rest = source.slice(i, source.indexOf('\n', i) < 0 ? source.length : source.indexOf('\n', i));
    return /^\s*(?::.*)?\{\s*$/.test(rest);
  });
  if (hits.length !== 1) throw new Error(`expected one declaration of ${name}, found ${hits.length}`);
  const start = hits[0]!.index!;
  // Step 1: the body opens at the first "{" that ends a line, outside the parameter list
  // (a return type such as `): { a: number } {` has a "{" mid-line).
  let i = start;
  let parens = 0;
  for (; i < source.length; i++) {
    const c = source[i];
    if (c === '(') parens++;
    else if (c === ')') parens--;
    else if (c === '{' && parens === 0 && /^[ \t]*(?:\r?\n|$)/.test(source.slice(i + 1, i + 3))) break;
  }
  if (i >= source.length) throw new Error(`no body found for ${name}`);
  // Step 2: match braces, skipping strings, template literals and comments.
  return { start, end: matchBrace(source, i, name) };
}

/** The index just past the brace that closes the one at `open`. */
function matchBrace(s: string, open: number, name: string): number {
  // A stack of what each open brace belongs to: a block, or a template literal's ${...}.
  const stack: ('block' | 'template')[] = [];
  let i = open;
  while (i < s.length) {
    const c = s[i]!;
    const next = s[i + 1];
    if (c === '/' && next === '/') {
      i = s.indexOf('\n', i);
      if (i < 0) break;
      continue;
    }
    if (c === '/' && next === '*') {
      i = s.indexOf('*/', i + 2) + 2;
      if (i < 2) break;
      continue;
    }
    if (c === "'" || c === '"') {
      i = skipQuoted(s, i, c);
      continue;
    }
    if (c === '`') {
      i = skipTemplate(s, i + 1, stack);
      continue;
    }
    if (c === '{') stack.push('block');
    else if (c === '}') {
      const top = stack.pop();
      if (top === 'template') {
        // Back inside a template literal after its ${...}.
        i = skipTemplate(s, i + 1, stack);
        continue;
      }
      if (stack.length === 0) return i + 1;
    }
    i++;
  }
  throw new Error(`the body of ${name} never closes`);
}

/** The index just past the closing quote of the string opening at `i`. */
function skipQuoted(s: string, i: number, q: string): number {
  for (i++; i < s.length; i++) {
    if (s[i] === '\\') i++;
    else if (s[i] === q || s[i] === '\n') return i + 1;
  }
  return i;
}

/** Scans template text from `i`: returns past the closing backtick, or past a `${` (pushed). */
function skipTemplate(s: string, i: number, stack: ('block' | 'template')[]): number {
  for (; i < s.length; i++) {
    if (s[i] === '\\') i++;
    else if (s[i] === '`') return i + 1;
    else if (s[i] === '$' && s[i + 1] === '{') {
      stack.push('template');
      return i + 2;
    }
  }
  return i;
}

/**
 * `source` with function `name` replaced by `replacement`, a whole declaration written with
 * the indentation it will have in the file (two spaces for a class method).
 */
export function spliceFunction(source: string, name: string, replacement: string): string {
  const { start, end } = findFunction(source, name);
  const text = replacement.replace(/^(?:[ \t]*\r?\n)+/, '').replace(/\s+$/, '');
  return source.slice(0, start) + text + source.slice(end);
}
