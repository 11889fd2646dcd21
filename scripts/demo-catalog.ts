/**
 * Loads the demo reference data (deploy/demo: departments, list types, memoranda) through the public API.
 * Safe to run twice: what exists already is left as it is.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const DEMO_DIR = join(__dirname, '..', 'deploy', 'demo');

export interface DemoMeasure {
  code: string;
  dept: string;
  subjectKinds: string[];
  relatedRoles?: string[];
  kind: string;
  mode: string;
  actions: string[];
}
export interface DemoMemorandum {
  code: string;
  listTypes: string[];
  measures: DemoMeasure[];
}
export interface DemoCatalog {
  departments: { code: string; name: string; region: string }[];
  listTypes: { code: string; ownerDept: string; colour: string; subjectKinds: string[] }[];
  memoranda: DemoMemorandum[];
}

export function readDemoCatalog(dir = DEMO_DIR): DemoCatalog {
  const read = <T>(name: string): T => JSON.parse(readFileSync(join(dir, name), 'utf8')) as T;
  return {
    departments: read('departments.json'),
    listTypes: read('list-types.json'),
    memoranda: read('memoranda.json'),
  };
}

export interface LoadResult {
  departments: number;
  listTypes: number;
  memoranda: number;
  measures: number;
}

async function post(url: string, token: string, body: unknown): Promise<'created' | 'exists'> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (response.status === 201) return 'created';
  if (response.status === 409) return 'exists';
  throw new Error(`POST ${url} answered ${response.status}: ${await response.text()}`);
}

export async function loadDemoCatalog(options: {
  registryUrl: string;
  triggerUrl: string;
  adminToken: string;
  catalog?: DemoCatalog;
}): Promise<LoadResult> {
  const catalog = options.catalog ?? readDemoCatalog();
  const result: LoadResult = { departments: 0, listTypes: 0, memoranda: 0, measures: 0 };
  for (const department of catalog.departments) {
    if ((await post(`${options.registryUrl}/v1/departments`, options.adminToken, department)) === 'created') {
      result.departments += 1;
    }
  }
  for (const listType of catalog.listTypes) {
    if ((await post(`${options.registryUrl}/v1/list-types`, options.adminToken, listType)) === 'created') {
      result.listTypes += 1;
    }
  }
  for (const memorandum of catalog.memoranda) {
    if ((await post(`${options.triggerUrl}/v1/memoranda`, options.adminToken, memorandum)) === 'created') {
      result.memoranda += 1;
      result.measures += memorandum.measures.length;
    }
  }
  return result;
}
