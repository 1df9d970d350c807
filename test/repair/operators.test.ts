import assert from 'node:assert/strict';
import { test } from 'node:test';
import { allOperators, findMutations, parseSource } from '../../src/repair/operators/index.js';
import { mutatePattern } from '../../src/repair/operators/regex-pattern.js';

/** `operator: original -> replacement` for every mutation of `code`, optionally one operator only. */
function mutants(code: string, operator?: string, fileName = 'snippet.ts'): string[] {
  return findMutations(parseSource(fileName, code))
    .filter((m) => !operator || m.operator === operator)
    .map((m) => `${m.original} -> ${m.replacement}`);
}

test('operators: every operator has a unique name', () => {
  const names = allOperators.map((o) => o.name);
  assert.equal(new Set(names).size, names.length);
  assert.equal(names.length, 16);
});

test('ArithmeticOperator swaps numeric operators but leaves concatenation alone', () => {
  assert.deepEqual(mutants('f(a + b, a - b, a * b, a / b, a % b);', 'ArithmeticOperator'),
    ['a + b -> a - b', 'a - b -> a + b', 'a * b -> a / b', 'a / b -> a * b', 'a % b -> a * b']);
  assert.deepEqual(mutants("f('x' + a, a + `y`);", 'ArithmeticOperator'), []);
});

test('EqualityOperator yields both boundary and negation mutants', () => {
  assert.deepEqual(mutants('f(a < b, a === b, a != b);', 'EqualityOperator'),
    ['a < b -> a <= b', 'a < b -> a >= b', 'a === b -> a !== b', 'a != b -> a == b']);
});

test('LogicalOperator swaps && || and ??', () => {
  assert.deepEqual(mutants('f(a && b, a || b, a ?? b);', 'LogicalOperator'), ['a && b -> a || b', 'a || b -> a && b', 'a ?? b -> a && b']);
});

test('ConditionalExpression forces if tests, loop tests, comparisons and switch cases', () => {
  assert.deepEqual(mutants('if (ok) run();', 'ConditionalExpression'), ['ok -> true', 'ok -> false']);
  assert.deepEqual(mutants('while (i < n) i++;', 'ConditionalExpression'), ['i < n -> false']);
  assert.deepEqual(mutants('const x = a > 1 && b;', 'ConditionalExpression'), ['a > 1 && b -> true', 'a > 1 && b -> false', 'a > 1 -> true']);
  assert.deepEqual(mutants('for (;;) { break; }', 'ConditionalExpression'), ['for (;;) { break; } -> for (;false;) { break; }']);
  assert.deepEqual(mutants('switch (x) { case 1: y(); break; default: }', 'ConditionalExpression'), ['y(); break; -> ']);
});

test('BooleanLiteral flips literals and drops negation', () => {
  assert.deepEqual(mutants('f(true, false, !x);', 'BooleanLiteral'), ['true -> false', 'false -> true', '!x -> x']);
});

test('StringLiteral empties and fills strings but not module names, keys or directives', () => {
  assert.deepEqual(mutants("f('a', \"\", `t${x}`, ``);", 'StringLiteral'),
    ["'a' -> ''", '"" -> "Stryker was here!"', '`t${x}` -> ``', '`` -> `Stryker was here!`']);
  const skipped = "'use strict';\nimport a from 'a';\nexport * from 'b';\nconst o = { 'k': 1 };\nrequire('c');\nimport('d');\nSymbol('e');\ntype T = 'lit';\ntag`x`;";
  assert.deepEqual(mutants(skipped, 'StringLiteral'), []);
});

test('UnaryOperator and UpdateOperator', () => {
  assert.deepEqual(mutants('f(-a, +b, ~c);', 'UnaryOperator'), ['-a -> +a', '+b -> -b', '~c -> c']);
  assert.deepEqual(mutants('i++; --j;', 'UpdateOperator'), ['i++ -> i--', '--j -> ++j']);
});

test('AssignmentOperator swaps compound assignments, except string concatenation', () => {
  assert.deepEqual(mutants("a += 1; b ||= c; s += 'x'; d ??= e;", 'AssignmentOperator'), ['a += 1 -> a -= 1', 'b ||= c -> b &&= c', 'd ??= e -> d &&= e']);
});

test('ArrayDeclaration and ObjectLiteral empty literals, but not destructuring targets', () => {
  assert.deepEqual(mutants('f([1, 2], [], new Array(3), Array());', 'ArrayDeclaration'),
    ['[1, 2] -> []', '[] -> ["Stryker was here"]', 'new Array(3) -> new Array()', 'Array() -> Array([])']);
  assert.deepEqual(mutants('[a, b] = [b, a]; ({ x } = o); for ([k] of m);', 'ArrayDeclaration'), ['[b, a] -> []']);
  assert.deepEqual(mutants('f({ a: 1 }, {}); ({ x } = o);', 'ObjectLiteral'), ['{ a: 1 } -> {}']);
});

test('BlockStatement empties non-empty blocks', () => {
  assert.deepEqual(mutants('function f() { g(); }\nfunction h() {}', 'BlockStatement'), ['{ g(); } -> {}']);
  // super() must come first when fields are initialised.
  assert.deepEqual(mutants('class A extends B { x = 1; constructor() { super(); } }', 'BlockStatement'), []);
});

test('MethodExpression swaps or removes well-known methods', () => {
  assert.deepEqual(mutants('s.startsWith(p); s.toUpperCase(); xs.some(f); xs.filter(f).sort(); Math.max(a, b);', 'MethodExpression'), [
    's.startsWith(p) -> s.endsWith(p)',
    's.toUpperCase() -> s.toLowerCase()',
    'xs.some(f) -> xs.every(f)',
    'xs.filter(f).sort() -> xs.filter(f)',
    'xs.filter(f) -> xs',
    'Math.max(a, b) -> Math.min(a, b)',
  ]);
});

test('OptionalChaining is removed on the whole chain, keeping its short-circuit intact', () => {
  assert.deepEqual(mutants('f(a?.b, a?.[i], g?.(), a?.b.c.d);', 'OptionalChaining'),
    ['a?.b -> a.b', 'a?.[i] -> a[i]', 'g?.() -> g()', 'a?.b.c.d -> a.b.c.d']);
  // A mutant inside a chain is placed on the chain's root.
  assert.deepEqual(mutants('x = a?.b.trim().length;', 'MethodExpression'), ['a?.b.trim().length -> a?.b.length']);
});

test('Regex mutates anchors, classes, quantifiers and lookarounds', () => {
  assert.deepEqual(mutatePattern('^a\\d+[bc](?=x)$').map((m) => m.pattern), [
    'a\\d+[bc](?=x)$', '^a\\D+[bc](?=x)$', '^a\\d[bc](?=x)$', '^a\\d+[^bc](?=x)$', '^a\\d+[bc](?!x)$', '^a\\d+[bc](?=x)',
  ]);
  assert.deepEqual(mutants("new RegExp('^a')", 'Regex'), ["'^a' -> \"a\""]);
  assert.deepEqual(mutants('/x{2,3}/g.test(s)', 'Regex'), ['/x{2,3}/g -> /x/g']);
});

test('ArrowFunction replaces expression bodies with undefined', () => {
  assert.deepEqual(mutants('xs.map((x) => x * 2); f(() => undefined); g(() => { h(); });', 'ArrowFunction'), ['(x) => x * 2 -> () => undefined']);
});

test('type positions, declarations and imports are never mutated', () => {
  const code = [
    "import type { A } from './a.js';",
    'interface I { x: 1 | 2; y: "s" }',
    "type U = `a${string}` | 'b';",
    'enum E { A = 1 + 2, B = "b" }',
    'declare const d: number;',
    'declare module "m" { const z: string; }',
    'function over(x: string): void;',
    'function over(x: unknown) {}',
    'let t: Array<"x"> = [];',
    'abstract class K { abstract run(x: "y"): boolean; }',
  ].join('\n');
  assert.deepEqual(mutants(code), ['[] -> ["Stryker was here"]']);
});

test('a suture-disable-next-line comment opts a line out', () => {
  assert.deepEqual(mutants('// suture-disable-next-line\nconst a = 1 + 2;\nconst b = 3 - 4;', 'ArithmeticOperator'), ['3 - 4 -> 3 + 4']);
});

test('JavaScript files parse as JavaScript', () => {
  assert.deepEqual(mutants('module.exports = (a) => a > 0;', 'EqualityOperator', 'x.cjs'), ['a > 0 -> a >= 0', 'a > 0 -> a <= 0']);
});
