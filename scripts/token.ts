/**
 * Mints a local HS256 token for trying the API:
 *   npm run token -- --dept COURT --roles initiator [--sub alice] [--expires 12h] [--region 330100]
 * Uses AUTH_JWT_SECRET (the local default when unset) — never a production identity. The services accept
 * it only for a registered department (POST /v1/departments; CREDIT_OFFICE, the bootstrap department,
 * from the start), supervisor and credit_office only for a supervising one, and at most 12 h (decision 0019).
 */
import { parseArgs } from 'node:util';
import { lifetimeSeconds, mintToken } from '../libs/auth/src/token-verifier';
import { isRole } from '../libs/auth/src/principal';
import { ROLES } from '../libs/contracts/src/domain';
import { LOCAL_JWT_SECRET } from '../libs/platform/src/service-config';

async function main() {
  const { values } = parseArgs({
    options: {
      dept: { type: 'string' },
      roles: { type: 'string' },
      sub: { type: 'string' },
      expires: { type: 'string', default: '12h' },
      region: { type: 'string' },
    },
  });
  if (!values.dept || !values.roles) {
    console.error(
      'usage: npm run token -- --dept COURT --roles initiator[,supervisor] [--sub NAME] [--expires 12h] [--region 330100]',
    );
    process.exit(2);
  }
  const roles = values.roles.split(',').map((r) => r.trim());
  const unknown = roles.filter((r) => !isRole(r));
  if (unknown.length > 0) {
    console.error(`unknown roles: ${unknown.join(', ')} (known: ${ROLES.join(', ')})`);
    process.exit(2);
  }
  try {
    lifetimeSeconds(values.expires);
  } catch (err) {
    console.error(`--expires: ${(err as Error).message}`);
    process.exit(2);
  }
  const token = await mintToken(
    {
      sub: values.sub ?? `${values.dept.toLowerCase()}-local`,
      dept: values.dept,
      roles: roles.filter(isRole),
      region: values.region,
    },
    process.env.AUTH_JWT_SECRET || LOCAL_JWT_SECRET,
    { expiresIn: values.expires },
  );
  console.log(token);
}

void main();
