// The helper injected into every instrumented file. Plain ES5-style function declarations, so
// they are hoisted (callable even during circular imports) and parse as JS and as TS. State is
// shared on globalThis so all instrumented files of a process agree on the active mutant.
//
// SUTURE_MUTANT=<id>      activates one mutant for the whole process.
// SUTURE_COVERAGE_DIR=dir records, per test file, each mutant reached (one JSON line per
//                         first hit, appended at once so a killed worker loses nothing), and
//                         whether it was reached while a module was loading (a static mutant).

export const mutantEnv = 'SUTURE_MUTANT';
export const coverageEnv = 'SUTURE_COVERAGE_DIR';
/** Set by the mocha root hooks to the file of the running test ('' between tests). */
export const currentTestGlobal = '__sutureCurrentTest';

export const runtimeHelper = [
  'function __suture_m(id) { var s = globalThis.__sutureMutants || __suture_state(); if (s.coverage) s.hit(id); return s.active === id; }',
  'function __suture_enter() { (globalThis.__sutureMutants || __suture_state()).depth++; }',
  'function __suture_leave() { (globalThis.__sutureMutants || __suture_state()).depth--; }',
  'function __suture_state() {',
  '  var env = (typeof process === "object" && process.env) || {};',
  `  var s = { active: env.${mutantEnv} ? Number(env.${mutantEnv}) : -1, depth: 0, coverage: !!env.${coverageEnv}, seen: new Set(), hit: null };`,
  '  if (s.coverage) {',
  '    var fs = process.getBuiltinModule("fs");',
  `    var file = env.${coverageEnv} + "/" + process.pid + ".jsonl";`,
  '    s.hit = function (id) {',
  '      var worker = globalThis.__vitest_worker__;',
  `      var test = worker && worker.filepath ? worker.filepath : typeof globalThis.${currentTestGlobal} === "string" ? globalThis.${currentTestGlobal} : (process.argv[1] || "");`,
  '      var isStatic = s.depth > 0 ? 1 : 0;',
  '      var key = test + "\\u0000" + id + "\\u0000" + isStatic;',
  '      if (s.seen.has(key)) return;',
  '      s.seen.add(key);',
  '      fs.appendFileSync(file, JSON.stringify({ t: test, id: id, s: isStatic }) + "\\n");',
  '    };',
  '  }',
  '  globalThis.__sutureMutants = s;',
  '  return s;',
  '}',
].join('\n');
