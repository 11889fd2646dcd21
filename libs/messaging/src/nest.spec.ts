import { Global, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import pino from 'pino';
import { ALL_TOPICS, deadLetterTopic } from '@credit/contracts';
import { HealthRegistry, ROOT_LOGGER } from '@credit/platform';
import { InProcessBus } from './in-process-bus';
import { MessageBus } from './message-bus';
import { BusModule } from './nest';

@Global()
@Module({
  providers: [HealthRegistry, { provide: ROOT_LOGGER, useValue: pino({ level: 'silent' }) }],
  exports: [HealthRegistry, ROOT_LOGGER],
})
class PlatformStub {}

describe('BusModule.forInProcess', () => {
  it('provides the in-process bus with the contract topics, reports it healthy, and closes it with the app', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [PlatformStub, BusModule.forInProcess({ partitions: 2 })],
    }).compile();
    const app = await moduleRef.init();
    const bus = app.get(MessageBus);
    expect(bus).toBeInstanceOf(InProcessBus);
    expect(bus.durable).toBe(false);
    // every contract topic and its dead-letter topic exists
    await bus.publish(
      ALL_TOPICS.flatMap((topic) => [
        { topic, key: 'k', value: 'v' },
        { topic: deadLetterTopic(topic), key: 'k', value: 'v' },
      ]),
    );
    expect(await app.get(HealthRegistry).report()).toEqual({
      status: 'ok',
      checks: { bus: { status: 'up' } },
    });
    await app.close();
    await expect(bus.ping()).rejects.toMatchObject({ code: 'MESSAGE.BUS_CLOSED' });
  });
});
