// npm run dead-letters -- list | replay <id>   (docs/runbook.md#dead-letters)
// KAFKA_BROKERS and KAFKA_TOPIC_PREFIX as the services have them.
import { ALL_TOPICS } from '@credit/contracts';
import { DeadLetterTool } from '@credit/messaging';

async function main(): Promise<void> {
  const [command, id] = process.argv.slice(2);
  const tool = new DeadLetterTool({
    brokers: (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',').map((b) => b.trim()),
    prefix: process.env.KAFKA_TOPIC_PREFIX ?? '',
    topics: ALL_TOPICS,
  });
  if (command === 'list') {
    const letters = await tool.list();
    for (const l of letters) {
      let event = '';
      try {
        const parsed = JSON.parse(l.value?.toString('utf8') ?? '');
        event = `${parsed.type ?? '?'} ${parsed.id ?? '?'}`;
      } catch {
        event = '(not an event)';
      }
      process.stdout.write(
        `${l.id}\t${l.failedAt}\t${l.consumer}\t${l.code}\t${event}\t${l.reason.replace(/\s+/g, ' ').slice(0, 200)}\n`,
      );
    }
    process.stderr.write(`${letters.length} dead letter(s)\n`);
  } else if (command === 'replay' && id) {
    const letter = await tool.replay(id);
    process.stdout.write(`replayed ${letter.id} to ${letter.originalTopic} (was: ${letter.code})\n`);
  } else {
    process.stderr.write('usage: npm run dead-letters -- list | replay <dead-letter topic>@<offset>\n');
    process.exitCode = 64;
  }
}

main().catch((err: Error) => {
  process.stderr.write(`dead-letters: ${err.message}\n`);
  process.exit(1);
});
