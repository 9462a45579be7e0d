import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  bindMigrationAwareSqlAdapterFactory,
  ColumnTypeEnum,
  mockMigrationAwareAdapterFactory,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
} from '@prisma/driver-adapter-utils';
import type { SchemaEngine } from '@prisma/schema-engine-wasm';
import { adapterFactoryFor } from '../adapters';

// Node has WebAssembly, but this project's TypeScript libs (no DOM) do not declare it.
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
}
const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

type Bindgen = {
  __wbg_set_wasm(exports: Record<string, unknown>): void;
  SchemaEngine: typeof SchemaEngine;
};

let bindgen: Promise<Bindgen> | undefined;

/**
 * Loads Prisma's schema engine compiled to WebAssembly. Node 20 cannot import `.wasm`
 * modules, so the module is instantiated by hand and wired to its JS glue.
 */
function loadBindgen(): Promise<Bindgen> {
  bindgen ??= (async () => {
    const require = createRequire(import.meta.url);
    const dir = dirname(require.resolve('@prisma/schema-engine-wasm'));
    const bg = (await import(pathToFileURL(join(dir, 'schema_engine_bg.js')).href)) as Bindgen;
    const module = new wasm.Module(readFileSync(join(dir, 'schema_engine_bg.wasm')));
    const instance = new wasm.Instance(module, { './schema_engine_bg.js': bg as never });
    bg.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
    return bg;
  })();
  return bindgen;
}

export interface OpenEngine {
  engine: SchemaEngine;
  /** Frees the engine and closes the connections it opened (the engine itself does not). */
  close(): Promise<void>;
}

/** A schema engine connected to the database at `databaseUrl` through its driver adapter. */
export function openSchemaEngine(
  databaseUrl: string,
  log: (line: string) => void = () => {},
): Promise<OpenEngine> {
  return openWithAdapter(adapterFactoryFor(databaseUrl), log);
}

/** An engine with no database behind it: enough to diff two schemas into SQL. */
export function openOfflineSchemaEngine(provider: 'sqlite' | 'postgresql'): Promise<OpenEngine> {
  return openWithAdapter(
    provider === 'postgresql' ? offlinePostgres() : mockMigrationAwareAdapterFactory('sqlite'),
  );
}

async function openWithAdapter(
  factory: SqlMigrationAwareDriverAdapterFactory,
  log: (line: string) => void = () => {},
): Promise<OpenEngine> {
  const bg = await loadBindgen();
  const opened: SqlDriverAdapter[] = [];
  const track = async (connect: () => Promise<SqlDriverAdapter>) => {
    const adapter = await connect();
    opened.push(adapter);
    return adapter;
  };
  const tracked: SqlMigrationAwareDriverAdapterFactory = {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: () => track(() => factory.connect()),
    connectToShadowDb: () => track(() => factory.connectToShadowDb()),
  };
  const engine = await bg.SchemaEngine.new(
    { datamodels: undefined },
    log,
    bindMigrationAwareSqlAdapterFactory(tracked),
  );
  return {
    engine,
    async close() {
      engine.free();
      await Promise.allSettled(opened.map((a) => a.dispose()));
    },
  };
}
/**
 * Prisma's mock adapter rejects every query, but on PostgreSQL the engine first asks for the
 * server version and whether the `public` schema exists. This stand-in answers that probe
 * (PostgreSQL 15, schema present) and nothing else, so schema-to-schema diffs need no server.
 */
function offlinePostgres(): SqlMigrationAwareDriverAdapterFactory {
  const adapter = (): SqlDriverAdapter =>
    ({
      provider: 'postgres',
      adapterName: '@prisma/adapter-pg',
      async queryRaw(query: { sql: string }) {
        if (/pg_namespace/.test(query.sql) && /server_version_num/.test(query.sql)) {
          return {
            columnNames: ['exists', 'version', 'numeric_version'],
            columnTypes: [ColumnTypeEnum.Boolean, ColumnTypeEnum.Text, ColumnTypeEnum.Int32],
            rows: [[true, 'PostgreSQL 15.0', 150000]],
          };
        }
        return { columnNames: [], columnTypes: [], rows: [] };
      },
      async executeRaw() {
        return 0;
      },
      async executeScript() {},
      async startTransaction() {
        throw new Error('offline schema engine: no transactions');
      },
      async dispose() {},
    }) as unknown as SqlDriverAdapter;
  return {
    provider: 'postgres',
    adapterName: '@prisma/adapter-pg',
    connect: async () => adapter(),
    connectToShadowDb: async () => adapter(),
  };
}
