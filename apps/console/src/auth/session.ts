export type Role =
  'admin' | 'initiator' | 'implementer' | 'system' | 'supervisor' | 'credit_office' | 'subject';

export interface Claims {
  sub: string;
  dept?: string;
  roles: Role[];
  region?: string;
  exp: number;
}

const KEY = 'credit.console.token';
const listeners = new Set<() => void>();

/** Decodes a JWT's claims (the server verifies it; the console only reads who it is for). */
export function claimsOf(token: string): Claims | undefined {
  try {
    const part = token.split('.')[1];
    const json = decodeURIComponent(
      atob(part.replace(/-/g, '+').replace(/_/g, '/'))
        .split('')
        .map((c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`)
        .join(''),
    );
    const claims = JSON.parse(json) as Claims;
    return Array.isArray(claims.roles) && typeof claims.exp === 'number' ? claims : undefined;
  } catch {
    return undefined;
  }
}

/** The signed-in person's token, kept for the browser tab (sessionStorage) until it expires. */
export const session = {
  token(): string | undefined {
    const token = sessionStorage.getItem(KEY) ?? undefined;
    const claims = token ? claimsOf(token) : undefined;
    if (token && (!claims || claims.exp * 1000 <= Date.now())) {
      sessionStorage.removeItem(KEY);
      return undefined;
    }
    return token;
  },
  claims(): Claims | undefined {
    const token = this.token();
    return token ? claimsOf(token) : undefined;
  },
  signIn(token: string): void {
    sessionStorage.setItem(KEY, token);
    listeners.forEach((l) => l());
  },
  signOut(): void {
    sessionStorage.removeItem(KEY);
    listeners.forEach((l) => l());
  },
  expired(): void {
    this.signOut();
  },
  subscribe(listener: () => void): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
};
