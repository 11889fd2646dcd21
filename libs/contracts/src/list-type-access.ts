import 'reflect-metadata';
import { IsArray, IsIn, IsISO8601, IsString, MinLength } from 'class-validator';
import { INFO_CLASSES, InfoClass } from './domain';

/**
 * A list type's information class, as the registry defines it (decision 0023). On `credit.list-entries`,
 * keyed by the list type's code; sent when a list type is defined and again, for every list type, each
 * time the registry starts (a service that missed one, or kept entries from before the class was
 * announced, learns it). Trigger keeps the latest in `trigger.list_types` and withholds, lifts or issues
 * other departments' measures by it.
 */
export class ListTypeAnnouncedV1 {
  @IsString() @MinLength(1) code!: string;
  @IsString() @MinLength(1) ownerDept!: string;
  @IsIn(INFO_CLASSES) infoClass!: InfoClass;
  @IsISO8601() at!: string;
}

/**
 * The departments that implement a measure in force on a list type, as trigger's catalogue has them
 * (decision 0023): the whole set, not a change, so the latest event is the truth. On `credit.departments`,
 * keyed by the list type's code; sent when a memorandum or measure changes the set, and for every list
 * type of the catalogue each time trigger starts. The registry keeps it in
 * `registry.list_type_implementers`: they read the list type's class-B entries.
 */
export class ListTypeImplementersV1 {
  @IsString() @MinLength(1) listType!: string;
  @IsArray() @IsString({ each: true }) depts!: string[];
  @IsISO8601() at!: string;
}
