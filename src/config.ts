import { fileURLToPath } from "node:url";
import { z } from "zod";

export const DEFAULT_DATABASE_PATH = fileURLToPath(new URL("../var/litreview.db", import.meta.url));
export const DEFAULT_DATA_DIR = fileURLToPath(new URL("../data/reviews", import.meta.url));

/** The environment, parsed once at start-up; nothing else reads process.env. */
export const ConfigSchema = z.object({
  DATABASE_PATH: z.string().min(1).default(DEFAULT_DATABASE_PATH),
  DATA_DIR: z.string().min(1).default(DEFAULT_DATA_DIR),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default("127.0.0.1"),
  // "off" answers every request with its query: for measuring the queries, never for serving.
  LITREVIEW_CACHE: z.enum(["on", "off"]).default("on"),
});
export type Config = z.infer<typeof ConfigSchema>;

export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return ConfigSchema.parse({
    DATABASE_PATH: env.DATABASE_PATH || undefined,
    DATA_DIR: env.DATA_DIR || undefined,
    PORT: env.PORT || undefined,
    HOST: env.HOST || undefined,
    LITREVIEW_CACHE: env.LITREVIEW_CACHE || undefined,
  });
}
