export { ActiveMeasures } from './active-measures';
export { MeasureQueries } from './measure-queries';
export { PgMeasureQueries } from './pg-measure-queries';
export * from './index-ownership';
export * from './kafka-index-ownership';
export * from './key-partition';
