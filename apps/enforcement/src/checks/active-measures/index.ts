export { ActiveMeasures } from './active-measures';
export { MeasureQueries } from './measure-queries';
export { PgMeasureQueries } from './pg-measure-queries';
