/**
 * What an idle Kafka client costs its process (decision 0085): the CPU and the voluntary context switches
 * of this process over a window with nothing to do, first without any client (the baseline, same run),
 * then with one producer and one consumer connected to an idle topic, as each service holds them.
 *
 *   npm run bench:kafka-idle        (env: KAFKA_BROKERS=127.0.0.1:9092 WINDOW_S=20 ROUNDS=2)
 */
import { cpus } from 'node:os';
import { Kafka, logLevel } from 'kafkajs';

const BROKERS = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
const WINDOW_MS = Number(process.env.WINDOW_S ?? 20) * 1000;
const ROUNDS = Number(process.env.ROUNDS ?? 2);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** This process's CPU-ms and voluntary context switches over one window. */
async function window(): Promise<{ cpuMs: number; switches: number }> {
  const cpu0 = process.cpuUsage();
  const before = process.resourceUsage().voluntaryContextSwitches;
  await sleep(WINDOW_MS);
  const cpu = process.cpuUsage(cpu0);
  return {
    cpuMs: (cpu.user + cpu.system) / 1000,
    switches: process.resourceUsage().voluntaryContextSwitches - before,
  };
}

async function main(): Promise<void> {
  const kafka = new Kafka({ clientId: 'bench-idle', brokers: BROKERS, logLevel: logLevel.NOTHING });
  const topic = `bench-idle-${process.pid}`;
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
  await admin.disconnect();
  console.log(
    `conditions: ${cpus().length} CPUs (${cpus()[0]?.model?.trim() ?? '?'}), Node ${process.version}, ` +
      `Kafka at ${BROKERS.join(',')}, windows of ${WINDOW_MS / 1000} s, ${ROUNDS} rounds`,
  );
  const perSecond = (value: number) => ((value / WINDOW_MS) * 1000).toFixed(1);
  for (let round = 1; round <= ROUNDS; round += 1) {
    await sleep(2000);
    const bare = await window();
    const producer = kafka.producer();
    const consumer = kafka.consumer({ groupId: topic, maxWaitTimeInMs: 1000 });
    await producer.connect();
    await consumer.connect();
    await consumer.subscribe({ topics: [topic] });
    await consumer.run({ eachMessage: async () => undefined });
    await producer.send({ topic, messages: [{ value: 'warm-up' }] });
    await sleep(5000); // joined, the message consumed: idle from here
    const clients = await window();
    await consumer.disconnect();
    await producer.disconnect();
    console.log(
      `round ${round}: baseline (no client) ${bare.cpuMs.toFixed(0)} CPU-ms, ${bare.switches} switches; ` +
        `producer + consumer idle ${clients.cpuMs.toFixed(0)} CPU-ms, ${clients.switches} switches ` +
        `(${perSecond(clients.cpuMs - bare.cpuMs)} CPU-ms and ${perSecond(clients.switches - bare.switches)} wake-ups a second more)`,
    );
  }
  const cleanup = kafka.admin();
  await cleanup.connect();
  await cleanup.deleteTopics({ topics: [topic] });
  await cleanup.disconnect();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
