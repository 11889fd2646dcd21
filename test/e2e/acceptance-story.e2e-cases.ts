import { TrailSealJob } from '../../apps/tracking/src/trail/trail-seal.job';
import { startPlatform } from '../support/services';
import { describeAcceptanceStory } from './acceptance-story';

describeAcceptanceStory('over PostgreSQL, Redis and Kafka (four services)', async () => {
  const platform = await startPlatform();
  return {
    url: platform.url,
    token: platform.token,
    seal: async () => {
      await platform.app.tracking.get(TrailSealJob).seal();
    },
    close: platform.close,
  };
});
