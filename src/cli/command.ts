import { parseArgs } from "node:util";
import type { z } from "@hono/zod-openapi";
import type { Db } from "../db/client.js";

/** A mistake in how the command was called: reported with a hint, exit code 2. */
export class UsageError extends Error {}

export type Output = { out: (text: string) => void; err: (text: string) => void };
/**
 * `raw` holds the flags as typed (snake_case keys), for handing a request on to the HTTP app unchanged.
 * `db` is opened on first use, so a command that must not touch the database before it has
 * checked its input (import --dry-run) never opens it. `dataDir` is where review folders live.
 * `setExitCode` reports a failure that is not an exception (import: 1 when the data has errors).
 */
export type CommandContext = Output & {
  db: Db;
  dataDir: string;
  json: boolean;
  raw: Record<string, string>;
  setExitCode: (code: number) => void;
};

export type Command = {
  name: string;
  summary: string;
  example: string;
  /** Flags are the schema's keys with "_" written "-" (--group-by); the route's own schema where there is one. */
  schema: z.ZodObject;
  /** A key that may also be given as the first bare word (`methods pooling-methods`). */
  positional?: string;
  /** Flags that take no value (--dry-run) and flags that may be given more than once (--map a=b --map c=d). */
  booleans?: string[];
  repeatable?: string[];
  run: (ctx: CommandContext, input: never) => void | Promise<void>;
};

/** Keeps `run`'s input typed by the schema while commands share one list type. */
export function defineCommand<S extends z.ZodObject>(command: {
  name: string;
  summary: string;
  example: string;
  schema: S;
  positional?: keyof z.input<S> & string;
  booleans?: (keyof z.input<S> & string)[];
  repeatable?: (keyof z.input<S> & string)[];
  run: (ctx: CommandContext, input: z.output<S>) => void | Promise<void>;
}): Command {
  return command as unknown as Command;
}

export const flagName = (key: string) => key.replaceAll("_", "-");

/** Parses argv after the command name into the schema's input, or throws UsageError naming the flag. */
export function parseCommandArgs(
  command: Command,
  argv: string[],
): { input: unknown; raw: Record<string, string>; json: boolean; help: boolean } {
  const keys = Object.keys(command.schema.shape);
  const booleans = new Set(command.booleans ?? []);
  const repeatable = new Set(command.repeatable ?? []);
  const options = Object.fromEntries(
    keys.map((k) => [flagName(k), booleans.has(k) ? { type: "boolean" as const } : { type: "string" as const, multiple: repeatable.has(k) }]),
  );
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: joinDashValues(argv, new Set(keys.filter((k) => !booleans.has(k)).map(flagName))),
      options: { ...options, json: { type: "boolean" }, help: { type: "boolean", short: "h" } },
      allowPositionals: command.positional !== undefined,
      strict: true,
    });
  } catch (e) {
    throw new UsageError((e as Error).message.split("\n")[0] ?? "bad arguments");
  }
  const raw: Record<string, string> = {};
  const typed: Record<string, unknown> = {};
  for (const k of keys) {
    const v = parsed.values[flagName(k)];
    if (typeof v === "string") raw[k] = v;
    else if (v !== undefined) typed[k] = v;
  }
  if (command.positional !== undefined && parsed.positionals.length > 0) {
    if (parsed.positionals.length > 1) throw new UsageError(`Unexpected argument ${JSON.stringify(parsed.positionals[1])}`);
    raw[command.positional] = parsed.positionals[0] ?? "";
  }
  const help = parsed.values.help === true;
  if (help) return { input: undefined, raw, json: false, help };
  const result = command.schema.safeParse({ ...raw, ...typed });
  if (!result.success) {
    const issue = result.error.issues[0];
    const key = issue?.path.map(String).join(".") ?? "";
    throw new UsageError(`${key ? `--${flagName(key)}: ` : ""}${issue?.message ?? "invalid"}`);
  }
  return { input: result.data, raw, json: parsed.values.json === true, help };
}

/**
 * `--sort -accuracy` is how people write a descending sort, but parseArgs refuses a value that starts
 * with "-" as ambiguous; for flags that take a value, the next word is joined on (`--sort=-accuracy`).
 */
function joinDashValues(argv: string[], valued: Set<string>): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? "";
    const next = argv[i + 1];
    if (arg.startsWith("--") && !arg.includes("=") && valued.has(arg.slice(2)) && next?.startsWith("-") && !next.startsWith("--")) {
      out.push(`${arg}=${next}`);
      i++;
    } else out.push(arg);
  }
  return out;
}

/** The flags a command takes, for its help text. */
export function describeFlags(command: Command): string {
  const keys = Object.keys(command.schema.shape);
  return [...keys.map((k) => `--${flagName(k)}`), "--json"].join(" ");
}
