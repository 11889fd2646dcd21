/**
 * Mints a local HS256 token for trying the API:
 *   npm run token -- --dept COURT --roles initiator [--sub alice] [--expires 12h]
 * Uses AUTH_JWT_SECRET (the local default when unset) — never a production identity.
 */
import { parseArgs } from 'node:util';
import { mintToken } from '../libs/auth/src/token-verifier';
import { isRole } from '../libs/auth/src/principal';
import { LOCAL_JWT_SECRET } from '../libs/platform/src/service-config';

async function main() {
  const { values } = parseArgs({
    options: {
      dept: { type: 'string' },
      roles: { type: 'string' },
      sub: { type: 'string' },
      expires: { type: 'string', default: '12h' },
    },
  });
  if (!values.dept || !values.roles) {
    console.error(
      'usage: npm run token -- --dept COURT --roles initiator[,supervisor] [--sub NAME] [--expires 12h]',
    );
    process.exit(2);
  }
  const roles = values.roles.split(',').map((r) => r.trim());
  const unknown = roles.filter((r) => !isRole(r));
  if (unknown.length > 0) {
    console.error(
      `unknown roles: ${unknown.join(', ')} (known: admin, initiator, implementer, supervisor, system)`,
    );
    process.exit(2);
  }
  const token = await mintToken(
    {
      sub: values.sub ?? `${values.dept.toLowerCase()}-local`,
      dept: values.dept,
      roles: roles.filter(isRole),
    },
    process.env.AUTH_JWT_SECRET || LOCAL_JWT_SECRET,
    { expiresIn: values.expires },
  );
  console.log(token);
}

void main();
