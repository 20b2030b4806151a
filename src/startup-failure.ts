/**
 * Runs a start-up step; if it throws, prints one line (what failed, where, and the fix: the
 * message of a StartupError, or `explain`'s) and exits with code 1, without a stack trace: the
 * operator needs the fix, not our call stack.
 */
export function failStartup<T>(step: () => T, explain: (err: unknown) => string = (err) => (err instanceof Error ? err.message : String(err))): T {
  try {
    return step();
  } catch (err) {
    return exitWith(explain(err));
  }
}

/** Prints the one line and exits with code 1. */
export function exitWith(line: string): never {
  console.error(`litreview: ${line}`);
  process.exit(1);
}

/** Runs `cleanup` when the process ends, also on SIGINT and SIGTERM (which otherwise skip "exit" handlers). */
export function onExit(cleanup: () => void): void {
  process.once("exit", cleanup);
  for (const [signal, code] of [["SIGINT", 130], ["SIGTERM", 143]] as const) process.once(signal, () => process.exit(code));
}
