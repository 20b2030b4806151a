import { UsageError, type CommandContext } from "./command.js";

/**
 * Prints what the HTTP app answers for the same request. Used for the CSV downloads, whose rows are
 * built inside their routes: the CLI prints exactly the file the API serves instead of a second copy.
 */
export async function printFromApi(ctx: CommandContext, path: string): Promise<void> {
  // Loaded only when needed: the app pulls in every route and the dashboard.
  const { createApp } = await import("../app.js");
  const res = await createApp({ db: ctx.db }).request(`${path}?${new URLSearchParams(ctx.raw)}`);
  const body = await res.text();
  if (res.status !== 200) {
    let detail = body;
    try {
      detail = (JSON.parse(body) as { detail?: string }).detail ?? body;
    } catch {
      // not a problem document; show the text as it is
    }
    throw new UsageError(detail);
  }
  ctx.out(body);
}
