// The order jest hands the test files to its workers (jest.config.js `testSequencer`): the longest first,
// so that no long file starts last and keeps one worker busy after the other has finished. Jest orders
// by the durations its cache remembers from the last run; a fresh clone (CI) has none, and jest's fallback
// — the biggest files first — starts last the small files that run a whole platform (the story wrappers
// in test/e2e, the *.embedded.e2e-spec.ts files, the compose stack). Without a remembered duration a file
// is given one from EXPECTED_S (seconds, measured on this 2-core machine in CI) or its project's default.
// The order only: which tests run, and how, is unchanged (decision 0060).
const path = require('node:path');
const Sequencer = require('@jest/test-sequencer').default;

const ROOT = path.join(__dirname, '..', '..');

/**
 * Files that take much longer than their size says (seconds, a CI run's order of magnitude; the console
 * files as decision 0062 left them).
 */
const EXPECTED_S = {
  'test/deploy/compose.e2e-spec.ts': 240,
  'test/trigger/fan-out-kill.e2e-spec.ts': 150,
  'test/platform/recovery.e2e-spec.ts': 150,
  'test/e2e/embedded.e2e-spec.ts': 150,
  'test/platform/broker-restart.e2e-spec.ts': 120,
  'test/console/console.e2e-spec.ts': 70,
  'test/console/console-admin.e2e-spec.ts': 150,
  'test/console/cases.e2e-spec.ts': 70,
  'test/console/subject.e2e-spec.ts': 60,
  'test/platform/fuzz.e2e-spec.ts': 90,
  'test/console/gateway.e2e-spec.ts': 60,
  'test/console/dev-sign-in.e2e-spec.ts': 50,
  'test/platform/service-process.e2e-spec.ts': 60,
  'test/platform/poisoned-consumers.e2e-spec.ts': 60,
  'test/e2e/walking-skeleton.e2e-spec.ts': 60,
  'test/e2e/acceptance-story.e2e-spec.ts': 45,
  'test/e2e/due-process-story.e2e-spec.ts': 45,
  'test/e2e/repair-story.e2e-spec.ts': 45,
  'test/e2e/commitments-embedded.e2e-spec.ts': 50,
  'test/e2e/due-process-story.embedded.e2e-spec.ts': 50,
  'test/exchange/exchange.embedded.e2e-spec.ts': 50,
  'test/publication/publication.embedded.e2e-spec.ts': 50,
  'test/registry/periods.embedded.e2e-spec.ts': 50,
  'test/registry/subject-journey.e2e-spec.ts': 50,
  'test/tracking/typical-cases.embedded.e2e-spec.ts': 50,
  // the medium tier, one file per service (decision 0061): 0.45 × the seconds of one run on this machine
  'apps/registry/src/registry.medium-spec.ts': 80,
  'apps/tracking/src/tracking.medium-spec.ts': 55,
  'apps/trigger/src/trigger.medium-spec.ts': 50,
  'apps/enforcement/src/enforcement.medium-spec.ts': 45,
  'test/platform/platform.medium-spec.ts': 30,
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
