import createClient, { type Middleware } from 'openapi-fetch';
import type { paths } from './schema';
import { session } from '../auth/session';

/** A problem details answer (RFC 9457) as the API sends it: shown with its message and code. */
export interface Problem {
  status: number;
  title?: string;
  detail?: string;
  code?: string;
  errors?: { field: string; code: string; message: string }[];
  correlationId?: string;
}

export class ApiError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail ?? problem.title ?? `HTTP ${problem.status}`);
  }
}

const auth: Middleware = {
  onRequest({ request }) {
    const token = session.token();
    if (token) request.headers.set('authorization', `Bearer ${token}`);
    return request;
  },
  onResponse({ response }) {
    if (response.status === 401 && session.token()) session.expired();
    return response;
  },
};

/** The typed client: paths, parameters and bodies from the services' OpenAPI documents (npm run console:api). */
export const api = createClient<paths>({ baseUrl: '' });
api.use(auth);

/** The body of an answer, or an ApiError carrying its problem details. */
export async function unwrap<T>(
  call: Promise<{ data?: unknown; error?: unknown; response: Response }>,
): Promise<T> {
  const { data, error, response } = await call;
  if (!response.ok) throw new ApiError(toProblem(response.status, error));
  return data as T;
}

export function toProblem(status: number, body: unknown): Problem {
  if (body && typeof body === 'object') return { status, ...(body as object) } as Problem;
  return { status, detail: typeof body === 'string' && body ? body : `HTTP ${status}` };
}

/** For the few requests outside the typed paths (file uploads, downloads, the development sign-in). */
export async function request<T>(
  method: string,
  url: string,
  body?: BodyInit | object,
  headers: Record<string, string> = {},
): Promise<T> {
  const init: RequestInit = { method, headers: { ...headers } };
  const token = session.token();
  if (token) (init.headers as Record<string, string>).authorization = `Bearer ${token}`;
  if (body !== undefined) {
    if (
      typeof body === 'object' &&
      !(body instanceof Blob) &&
      !(body instanceof FormData) &&
      !(body instanceof ArrayBuffer)
    ) {
      init.body = JSON.stringify(body);
      (init.headers as Record<string, string>)['content-type'] = 'application/json';
    } else init.body = body as BodyInit;
  }
  const response = await fetch(url, init);
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    /* not JSON */
  }
  if (!response.ok) throw new ApiError(toProblem(response.status, parsed));
  return parsed as T;
}

/** Downloads an export (CSV/XLSX) with the session's token, as a file the browser saves. */
export async function download(url: string, filename: string): Promise<void> {
  const response = await fetch(url, { headers: { authorization: `Bearer ${session.token() ?? ''}` } });
  if (!response.ok)
    throw new ApiError(toProblem(response.status, await response.json().catch(() => undefined)));
  saveBlob(await response.blob(), filename);
}

export function saveBlob(blob: Blob, filename: string): void {
  const link = document.createElement('a');
  link.href = URL.createObjectURL(blob);
  link.download = filename;
  link.click();
  setTimeout(() => URL.revokeObjectURL(link.href), 1000);
}
