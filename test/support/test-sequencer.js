// The order jest hands the test files to its workers (jest.config.js `testSequencer`): the longest first,
// so that no long file starts last and keeps one worker busy after the other has finished. Jest orders
// by the durations its cache remembers from the last run; a fresh clone (CI) has none, and jest's fallback
// — the biggest files first — starts last the small files that run whole platforms (the compose stack, the
// console's). Without a remembered duration a file is given one from EXPECTED_S (seconds, measured on this
// 2-core machine) or its project's default.
// The order only: which tests run, and how, is unchanged (decision 0060).
const path = require('node:path');
const Sequencer = require('@jest/test-sequencer').default;

const ROOT = path.join(__dirname, '..', '..');

/**
 * Files that take much longer than their size says: seconds of one local run of the suite on this 2-core
 * machine (2026-12-05; CI in containers takes ~1.4 times as long, in the same order). The cross-service
 * tests run one file per area (decision 0084), the medium tier one per service (decision 0061).
 */
const EXPECTED_S = {
  // compose and console-admin first, side by side as in every CI before decision 0084: the stack's
  // story has timed steps, and its first fan-out took 5.9 s (bound 5 s) beside the platform file's
  // SIGKILL-under-load groups; the platform file starts when one of the two ends, its light groups first
  'test/deploy/compose.e2e-spec.ts': 400,
  'test/console/console-admin.e2e-spec.ts': 300,
  'test/platform/platform.e2e-spec.ts': 290,
  'test/e2e/stories.e2e-spec.ts': 195,
  'test/enforcement/enforcement.e2e-spec.ts': 165,
  'test/registry/registry.e2e-spec.ts': 160,
  'test/tracking/tracking.e2e-spec.ts': 110,
  'test/messaging/messaging.integration-spec.ts': 110,
  'test/console/console.e2e-spec.ts': 108,
  'test/console/cases.e2e-spec.ts': 90,
  'test/trigger/trigger.e2e-spec.ts': 80,
  'test/console/subject.e2e-spec.ts': 75,
  'apps/enforcement/src/enforcement.medium-spec.ts': 62,
  'test/publication/publication.e2e-spec.ts': 40,
  'test/exchange/exchange.e2e-spec.ts': 35,
  'apps/tracking/src/tracking.medium-spec.ts': 31,
  'apps/registry/src/registry.medium-spec.ts': 28,
  'test/platform/platform.medium-spec.ts': 27,
  'apps/trigger/src/trigger.medium-spec.ts': 24,
  'test/console/gateway.e2e-spec.ts': 20,
  'test/console/dev-sign-in.e2e-spec.ts': 10,
};

/** A file's project without a figure: the cross-service ones start services, the medium ones PGlite. */
function defaultSeconds(relative) {
  if (/\.(integration|e2e)-spec\.ts$/.test(relative)) return 30;
  if (/\.medium-spec\.ts$/.test(relative)) return 15;
  return 2;
}

class LongestFirstSequencer extends Sequencer {
  sort(tests) {
    // jest's own order first: it sets each test's remembered duration (ms) where its cache has one
    const ordered = super.sort(tests);
    if (ordered.every((test) => test.duration != null)) return ordered;
    const expectedMs = (test) => {
      if (test.duration != null) return test.duration;
      const relative = path.relative(ROOT, test.path).split(path.sep).join('/');
      return (EXPECTED_S[relative] ?? defaultSeconds(relative)) * 1000;
    };
    // (a stable sort: equal estimates keep jest's order, the bigger file first)
    return [...ordered].sort((a, b) => expectedMs(b) - expectedMs(a));
  }
}

module.exports = LongestFirstSequencer;
