/**
 * SQL condition: `column` names a department of `region` (the parameter placeholder given). Regions come
 * from the registered departments this service keeps for tokens (`known_departments`, decision 0019),
 * never from the registry's tables (decision 0020).
 */
export function deptInRegion(column: string, placeholder: string): string {
  return `${column} IN (SELECT code FROM enforcement.known_departments WHERE region = ${placeholder})`;
}
