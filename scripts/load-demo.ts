/**
 * npm run demo:load — loads the demo departments, list types and memoranda into a running platform.
 * REGISTRY_URL (http://127.0.0.1:3001), TRIGGER_URL (http://127.0.0.1:3002), AUTH_JWT_SECRET (local default).
 */
import { mintToken } from '../libs/auth/src/token-verifier';
import { LOCAL_JWT_SECRET } from '../libs/platform/src/service-config';
import { loadDemoCatalog } from './demo-catalog';

async function main() {
  const adminToken = await mintToken(
    { sub: 'demo-loader', dept: 'CREDIT_OFFICE', roles: ['admin'] },
    process.env.AUTH_JWT_SECRET || LOCAL_JWT_SECRET,
  );
  const result = await loadDemoCatalog({
    registryUrl: process.env.REGISTRY_URL ?? 'http://127.0.0.1:3001',
    triggerUrl: process.env.TRIGGER_URL ?? 'http://127.0.0.1:3002',
    adminToken,
  });
  console.log(
    `demo catalog loaded: ${result.departments} departments, ${result.listTypes} list types, ` +
      `${result.memoranda} memoranda (${result.measures} measures) created; existing ones left as they were`,
  );
}

main().catch((err: Error) => {
  console.error(`demo:load failed: ${err.message}`);
  process.exit(1);
});
