import { Static, Type } from '@sinclair/typebox';
import { Instant, OneOf, Text } from './schema-types';
import { INFO_CLASSES } from './domain';

/**
 * A list type's information class, as the registry defines it (decision 0023). On `credit.list-entries`,
 * keyed by the list type's code; sent when a list type is defined and again, for every list type, each
 * time the registry starts (a service that missed one, or kept entries from before the class was
 * announced, learns it). Trigger keeps the latest in `trigger.list_types` and withholds, lifts or issues
 * other departments' measures by it.
 */
export const ListTypeAnnouncedV1 = Type.Object({
  code: Text(),
  ownerDept: Text(),
  infoClass: OneOf(INFO_CLASSES),
  at: Instant(),
});
export type ListTypeAnnouncedV1 = Static<typeof ListTypeAnnouncedV1>;

/**
 * The departments that implement a measure in force on a list type, as trigger's catalogue has them
 * (decision 0023): the whole set, not a change, so the latest event is the truth. On `credit.departments`,
 * keyed by the list type's code; sent when a memorandum or measure changes the set, and for every list
 * type of the catalogue each time trigger starts. The registry keeps it in
 * `registry.list_type_implementers`: they read the list type's class-B entries.
 */
export const ListTypeImplementersV1 = Type.Object({
  listType: Text(),
  depts: Type.Array(Type.String()),
  at: Instant(),
});
export type ListTypeImplementersV1 = Static<typeof ListTypeImplementersV1>;
