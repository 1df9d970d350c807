// The helper injected into every instrumented file. Plain ES5-style function declarations, so
// they are hoisted (callable even during circular imports) and parse as JS and as TS. State is
// shared on globalThis so all instrumented files of a process (or thread) agree on the active
// mutant.
//
// The state is built on first use from `globalThis.__sutureConfig` when a long-lived test worker
// set it for the run at hand (and dropped the previous run's state), otherwise from the env:
// SUTURE_MUTANT=<id>      activates one mutant for the whole process.
// SUTURE_COVERAGE_DIR=dir records, per test file, each mutant reached (one JSON line per
//                         first hit, appended at once so a killed worker loses nothing), and
//                         whether it was reached while a module was loading (a static mutant);
//                         `flush()` (and process exit) adds one line of hit counts per mutant.
// SUTURE_HIT_LIMIT=<n>    the active mutant may be reached n times; the next reach marks the run
//                         as looping (`limitReached`, and `limitFile` is created when set) and
//                         throws, so an endless loop ends in milliseconds instead of at the timeout.

export const mutantEnv = 'SUTURE_MUTANT';
export const coverageEnv = 'SUTURE_COVERAGE_DIR';
export const hitLimitEnv = 'SUTURE_HIT_LIMIT';
/** Set by the mocha root hooks and the test workers to the file of the running test. */
export const currentTestGlobal = '__sutureCurrentTest';
/** What a test worker sets before a run: see `RunConfig`. */
export const configGlobal = '__sutureConfig';
/** The live state; a test worker deletes it between runs so the next run starts afresh. */
export const stateGlobal = '__sutureMutants';

export interface RunConfig {
  /** The active mutant, -1 for none. */
  active: number;
  /** Record coverage into this directory ('' for none). */
  coverageDir: string;
  /** Reaches of the active mutant allowed before the run counts as an endless loop; 0: no limit. */
  hitLimit: number;
  /** Created when the hit limit is reached (for runners whose tests run in other threads). */
  limitFile?: string;
}

/** The part of the helper state a test worker reads after a run. */
export interface RunState {
  limitReached: boolean;
  flush(): void;
}

export const hitLimitMessage = 'suture: the active mutant exceeded its hit limit (an endless loop?)';

export const runtimeHelper = [
  `function __suture_m(id) { var s = globalThis.${stateGlobal} || __suture_state(); if (s.coverage) s.hit(id); if (s.active !== id) return false; if (s.limit > 0 && ++s.hits > s.limit) __suture_over(s); return true; }`,
  `function __suture_enter() { (globalThis.${stateGlobal} || __suture_state()).depth++; }`,
  `function __suture_leave() { (globalThis.${stateGlobal} || __suture_state()).depth--; }`,
  'function __suture_over(s) {',
  '  if (!s.limitReached) {',
  '    s.limitReached = true;',
  '    if (s.limitFile) { try { process.getBuiltinModule("fs").writeFileSync(s.limitFile, String(s.active)); } catch (e) {} }',
  '  }',
  `  throw new Error(${JSON.stringify(hitLimitMessage)});`,
  '}',
  'function __suture_state() {',
  '  var env = (typeof process === "object" && process.env) || {};',
  `  var managed = !!globalThis.${configGlobal};`,
  `  var c = globalThis.${configGlobal} || { active: env.${mutantEnv} ? Number(env.${mutantEnv}) : -1, coverageDir: env.${coverageEnv} || "", hitLimit: Number(env.${hitLimitEnv}) || 0 };`,
  '  var s = { active: c.active, limit: c.hitLimit || 0, hits: 0, limitReached: false, limitFile: c.limitFile || "", depth: 0,',
  '    coverage: !!c.coverageDir, seen: new Set(), counts: {}, counted: false, hit: null, flush: function () {} };',
  '  if (s.coverage) {',
  '    var fs = process.getBuiltinModule("fs");',
  '    var file = c.coverageDir + "/" + process.pid + "-" + (process.getBuiltinModule("worker_threads").threadId || 0) + ".jsonl";',
  '    s.hit = function (id) {',
  '      s.counts[id] = (s.counts[id] || 0) + 1;',
  '      s.counted = true;',
  '      var worker = globalThis.__vitest_worker__;',
  `      var test = worker && worker.filepath ? worker.filepath : typeof globalThis.${currentTestGlobal} === "string" ? globalThis.${currentTestGlobal} : (process.argv[1] || "");`,
  '      var isStatic = s.depth > 0 ? 1 : 0;',
  '      var key = test + "\\u0000" + id + "\\u0000" + isStatic;',
  '      if (s.seen.has(key)) return;',
  '      s.seen.add(key);',
  '      fs.appendFileSync(file, JSON.stringify({ t: test, id: id, s: isStatic }) + "\\n");',
  '    };',
  '    s.flush = function () {',
  '      if (!s.counted) return;',
  '      fs.appendFileSync(file, JSON.stringify({ c: s.counts }) + "\\n");',
  '      s.counts = {};',
  '      s.counted = false;',
  '    };',
  // A test worker flushes after each run; a process of its own flushes when it exits.
  '    if (!managed) process.once("exit", s.flush);',
  '  }',
  `  globalThis.${stateGlobal} = s;`,
  '  return s;',
  '}',
].join('\n');
