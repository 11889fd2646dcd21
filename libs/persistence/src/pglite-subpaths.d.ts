// The package's subpath exports, for this project's moduleResolution ("node"), which reads no `exports`.
declare module '@electric-sql/pglite/node-postgres' {
  import type { PGlite } from '@electric-sql/pglite';
  /** pg.Client options whose `connection` talks to the PGlite instance (one session). */
  export function createPgConfig(pglite: PGlite): Record<string, unknown>;
}

declare module '@electric-sql/pglite/contrib/btree_gist' {
  import type { Extension } from '@electric-sql/pglite';
  export const btree_gist: Extension;
}
