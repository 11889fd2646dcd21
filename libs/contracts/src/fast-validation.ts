import type { defaultMetadataStorage as Storage } from 'class-transformer/types/storage';
import { getMetadataStorage, ValidationArguments, ValidationTypes } from 'class-validator';
import type { PayloadClass } from './schemas';

/** class-transformer's metadata (@Type, @Transform, @Expose, @Exclude): the store plainToInstance reads */
export const transformerMetadata: typeof Storage =
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  (require('class-transformer/cjs/storage') as { defaultMetadataStorage: typeof Storage })
    .defaultMetadataStorage;

/** A class's validation metadata as ValidationExecutor.execute asks for it: no groups, `always` off. */
export function validationMetadatas(cls: PayloadClass) {
  return getMetadataStorage().getTargetValidationMetadatas(cls, '', false, false, undefined as never);
}

/** Built-in constraints whose verdict depends only on the value they are given. */
const CONSTRAINTS = new Set([
  'isString',
  'isUuid',
  'isObject',
  'isIn',
  'minLength',
  'maxLength',
  'min',
  'max',
  'isInt',
  'isNumber',
  'isArray',
  'isBoolean',
  'arrayNotEmpty',
  'isIso8601',
]);

/** @Type targets class-transformer converts by itself (not into a payload class) */
const BUILT_IN_TYPES = new Set<unknown>([String, Number, Boolean, Date, Object, Array, Map, Set]);

interface Check {
  /** the constraint instance class-validator itself calls */
  constraint: { validate(value: unknown, args: ValidationArguments): unknown };
  each: boolean;
  constraints: unknown[];
}

interface Property {
  name: string;
  optional: boolean;
  checks: Check[];
  /** the class of a ValidateNested property (its @Type) */
  nested?: PayloadClass;
}

/** Per class: its properties to check, or null when it uses something quickValid does not follow. */
const compiled = new Map<PayloadClass, Property[] | null>();

function compile(cls: PayloadClass): Property[] | null {
  const known = compiled.get(cls);
  if (known !== undefined) return known;
  let result: Property[] | null = null;
  try {
    result = build(cls);
  } catch {
    result = null;
  }
  compiled.set(cls, result);
  return result;
}

function build(cls: PayloadClass): Property[] | null {
  const validation = getMetadataStorage();
  const metadatas = validationMetadatas(cls);
  if (metadatas.length === 0) return null; // forbidUnknownValues: the slow path refuses it
  const transformer = transformerMetadata;
  if (!['none', 'exposeAll'].includes(transformer.getStrategy(cls))) return null;
  if (transformer.getExposedMetadatas(cls).length > 0 || transformer.getExcludedMetadatas(cls).length > 0)
    return null;
  // a field initialiser would give a missing property a value on the instance
  const blank = Reflect.construct(cls, []) as Record<string, unknown>;
  if (Object.keys(blank).some((k) => blank[k] !== undefined)) return null;

  const byName = new Map<string, Property>();
  for (const m of metadatas) {
    const name = m.propertyName;
    if (typeof m.target !== 'function' || name in cls.prototype || name === '__proto__') return null;
    if (transformer.findTransformMetadatas(cls, name, 0 /* plain to class */).length > 0) return null;
    let property = byName.get(name);
    if (!property) {
      property = { name, optional: false, checks: [] };
      byName.set(name, property);
    }
    if (m.type === ValidationTypes.CONDITIONAL_VALIDATION) {
      if (m.name !== 'isOptional') return null;
      property.optional = true;
    } else if (m.type === ValidationTypes.CUSTOM_VALIDATION) {
      if (!m.name || !CONSTRAINTS.has(m.name)) return null;
      for (const c of validation.getTargetValidatorConstraints(m.constraintCls)) {
        if (c.async || !c.instance) return null;
        property.checks.push({
          constraint: c.instance as Check['constraint'],
          each: m.each === true,
          constraints: m.constraints,
        });
      }
    } else if (m.type === ValidationTypes.NESTED_VALIDATION) {
      const type = transformer.findTypeMetadata(cls, name);
      if (!type || type.options?.discriminator) return null;
      const nested = type.typeFunction() as unknown;
      if (typeof nested !== 'function' || BUILT_IN_TYPES.has(nested)) return null;
      if (property.nested && property.nested !== nested) return null;
      property.nested = nested as PayloadClass;
    } else return null;
  }
  // a property nested without @Type is copied as a plain object, which the slow path refuses
  for (const m of metadatas)
    if (m.type === ValidationTypes.NESTED_VALIDATION && !byName.get(m.propertyName)?.nested) return null;
  return [...byName.values()];
}

/** A JSON object as JSON.parse makes it, with no key that class-transformer's copy would treat specially. */
function plainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  if (Object.getPrototypeOf(value) !== Object.prototype) return false;
  return !Object.hasOwn(value, '__proto__') && !Object.hasOwn(value, 'constructor');
}

/**
 * A quick yes for valid event data, from class-validator's own metadata and constraint functions, without
 * class-transformer's copy into class instances and class-validator's per-call metadata lookups and error
 * tree (about 70 µs per `list-entry.published` on the bench machine, most of it that machinery).
 *
 * `true` only when `validateSync(plainToInstance(cls, data), { forbidUnknownValues: true })` finds nothing;
 * `false` or `undefined` (a shape it does not follow) send the caller to that slow path, which then gives
 * the violations. So it needs to be exact only about saying yes — and says no whenever in doubt. It follows
 * only the decorators named in CONSTRAINTS (their results depend on the value alone, not on the copy or
 * the object holding it), IsOptional, ValidateNested with a class @Type, and plain JSON values: no
 * transforms, exposures, exclusions, discriminators, groups, async constraints or property defaults.
 */
export function quickValid(cls: PayloadClass, data: unknown): boolean | undefined {
  if (!plainObject(data)) return undefined;
  const properties = compile(cls);
  if (!properties) return undefined;
  for (const p of properties) {
    const value = Object.hasOwn(data, p.name) ? data[p.name] : undefined;
    if (p.optional && (value === null || value === undefined)) continue;
    const args: ValidationArguments = {
      targetName: cls.name,
      property: p.name,
      object: data,
      value,
      constraints: [],
    };
    for (const check of p.checks) {
      args.constraints = check.constraints;
      if (check.each && (Array.isArray(value) || value instanceof Set || value instanceof Map)) {
        for (const item of value as unknown[])
          if (check.constraint.validate(item, args) !== true) return false;
      } else if (check.constraint.validate(value, args) !== true) return false;
    }
    if (p.nested && value !== undefined) {
      const verdict = nestedValid(p.nested, value);
      if (verdict !== true) return verdict;
    }
  }
  return true;
}

/** ValidateNested: an object of the class, or an array (of arrays) of them; undefined items pass. */
function nestedValid(cls: PayloadClass, value: unknown): boolean | undefined {
  if (Array.isArray(value)) {
    for (const item of value) {
      if (item === undefined) continue;
      const verdict = nestedValid(cls, item);
      if (verdict !== true) return verdict;
    }
    return true;
  }
  if (typeof value !== 'object' || value === null) return false;
  return quickValid(cls, value);
}
