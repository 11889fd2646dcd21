import { startPlatform } from '../support/services';
import { describeAcceptanceStory } from './acceptance-story';

describeAcceptanceStory('over PostgreSQL, Redis and Kafka (four services)', () => startPlatform());
