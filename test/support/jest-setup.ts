// Cross-service tests wait on real brokers and databases.
jest.setTimeout(60_000);
