/**
 * The last step of `npm run build` (decision 0066): each service's entry point, compiled by tsc, is
 * bundled with the code it imports (its modules, the libs, and the packages from node_modules) into one
 * file that replaces it at the same path, `dist/apps/<service>/src/main.js`, with its source map (mapped
 * through tsc's maps to the .ts sources). Node then reads and compiles one file at start instead of
 * resolving and reading about 2,600: the load of a restarted service's code was most of its time to
 * ready (issue 17, docs/benchmarks/recovery.md).
 *
 * The rest of dist/ is tsc's output as before (the embedded mode, the gateway, the scripts, and the
 * services' other files, which the bundles no longer need). Packages loaded only on demand, or that find
 * files of their own next to their code, stay in node_modules (EXTERNAL).
 *   node dist/scripts/bundle-services.js [service…]   (default: the four services)
 */
import { cpSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';

export const BUNDLED_SERVICES = ['registry', 'trigger', 'enforcement', 'tracking'] as const;

/** Required from node_modules at run time, not bundled. */
export const EXTERNAL = [
  // Nest's optional packages, required only if installed (this project installs none of them)
  '@nestjs/microservices',
  '@nestjs/microservices/*',
  '@nestjs/websockets',
  '@nestjs/websockets/*',
  '@nestjs/platform-express',
  '@fastify/view',
  'class-transformer/storage',
  // loaded on demand: spreadsheets, documents, the embedded database, the tracing SDK (decision 0059)
  'exceljs',
  'docx',
  '@electric-sql/pglite',
  '@electric-sql/pglite/*',
  '@opentelemetry/*',
  // read files beside their own code (__dirname): workers, the Swagger UI's assets, package.json
  'pino',
  'swagger-ui-dist',
  'ioredis',
];

const ROOT = join(__dirname, '..', '..');

export async function bundleService(service: string): Promise<void> {
  const main = join(ROOT, 'dist', 'apps', service, 'src', 'main.js');
  // in memory, then over tsc's main.js and main.js.map (the map's paths are relative to its place)
  const { outputFiles } = await build({
    entryPoints: [main],
    outfile: main,
    allowOverwrite: true,
    write: false,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    external: EXTERNAL,
    // one map for the file, mapped to the .ts sources through tsc's maps; without their text (less to
    // read at a start with --enable-source-maps)
    sourcemap: 'linked',
    sourcesContent: false,
    // less to read and parse; identifiers are not renamed (Nest and TypeORM read class names)
    minifyWhitespace: true,
    logLevel: 'warning',
  });
  for (const file of outputFiles) writeFileSync(file.path, file.contents);
  // the working calendar's year files, where libs/calendar looks for them: <the code's folder>/../data
  cpSync(join(ROOT, 'libs', 'calendar', 'data'), join(ROOT, 'dist', 'apps', service, 'data'), {
    recursive: true,
  });
}

if (require.main === module) {
  const services = process.argv.slice(2);
  (async () => {
    for (const service of services.length > 0 ? services : BUNDLED_SERVICES) await bundleService(service);
  })().catch((err) => {
    process.stderr.write(`${err?.stack ?? err}\n`);
    process.exit(1);
  });
}
