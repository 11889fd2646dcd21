// A medium spec starts its platform in seconds, but the first one of a run after the migrations changed
// builds the migrated template database (test/support/medium.ts), which takes a minute under load.
jest.setTimeout(120_000);
