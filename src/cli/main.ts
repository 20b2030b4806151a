import { ApiError } from "../api/problem.js";
import { readConfig } from "../config.js";
import type { Db } from "../db/client.js";
import { openAndLoad } from "../db/setup.js";
import { type Command, describeFlags, type Output, parseCommandArgs, UsageError } from "./command.js";
import { COMMANDS } from "./commands/index.js";

export const EXIT = { ok: 0, failure: 1, usage: 2 } as const;

function usage(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    "Usage: litreview <command> [flags] [--json]",
    "",
    "Commands:",
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    "",
    "Tables are for people; --json prints the same data as the API. `litreview <command> --help` lists its flags.",
    "The database is DATABASE_PATH (default var/litreview.db), loaded from DATA_DIR like the server.",
  ].join("\n");
}

function commandHelp(c: Command): string {
  return [`litreview ${c.name}: ${c.summary}`, "", `Flags: ${describeFlags(c)}`, `Example: ${c.example}`].join("\n");
}

/**
 * Runs one command and returns its exit code; the database is opened only once the arguments
 * parse, so a typo answers at once. `openDb` is injectable so tests can hand in a seeded database.
 */
export async function run(
  argv: string[],
  io: Output,
  openDb: () => Db = openConfiguredDb,
  dataDir: () => string = () => readConfig().DATA_DIR,
): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    (name === undefined ? io.err : io.out)(usage());
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    io.err(`litreview: unknown command ${JSON.stringify(name)}\n\n${usage()}`);
    return EXIT.usage;
  }
  try {
    const { input, raw, json, help } = parseCommandArgs(command, rest);
    if (help) {
      io.out(commandHelp(command));
      return EXIT.ok;
    }
    let db: Db | undefined;
    let code: number = EXIT.ok;
    const ctx = {
      ...io,
      json,
      raw,
      setExitCode: (c: number) => {
        code = c;
      },
      get db() {
        db ??= openDb();
        return db;
      },
      get dataDir() {
        return dataDir();
      },
    };
    await command.run(ctx, input as never);
    return code;
  } catch (e) {
    // Bad flags, and the checks the API answers with a 4xx (an unknown review, a stale cursor), are usage errors.
    if (e instanceof UsageError || (e instanceof ApiError && e.status < 500)) {
      io.err(`litreview ${name}: ${e.message}\nTry: litreview ${name} --help`);
      return EXIT.usage;
    }
    io.err(`litreview ${name}: ${e instanceof Error ? e.message : String(e)}`);
    return EXIT.failure;
  }
}

function openConfiguredDb(): Db {
  const config = readConfig();
  return openAndLoad(config.DATABASE_PATH, config.DATA_DIR).db;
}

/** The process entry, called by bin/litreview.js: real stdout/stderr and the configured database. */
export function runMain(argv: string[]): Promise<number> {
  const write = (stream: NodeJS.WriteStream) => (text: string) => stream.write(text.endsWith("\n") ? text : `${text}\n`);
  return run(argv, { out: write(process.stdout), err: write(process.stderr) });
}
