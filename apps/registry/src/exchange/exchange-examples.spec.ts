import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { schemaViolations } from './exchange-document';
import { ed25519PublicKey, verifyDocument } from './exchange-signature';

const examples = join(__dirname, '../../../../docs/exchange/examples');
const read = (name: string) => readFileSync(join(examples, name), 'utf8');

describe('the examples of docs/exchange/README.md', () => {
  const publicKey = ed25519PublicKey(read('huzhou-example.pub.pem'))!;

  it.each(['publication.json', 'withdrawal.json'])(
    '%s conforms to the schema and verifies with the example key',
    (name) => {
      const envelope = JSON.parse(read(name)) as {
        document: object;
        signature: { value: string };
      };
      expect(schemaViolations(envelope)).toEqual([]);
      expect(verifyDocument(envelope.document, envelope.signature.value, publicKey)).toBe(true);
    },
  );
});
