import type { MessagePort } from "node:worker_threads";
import type { StoreParts } from "./store.js";
import type { TextIndex } from "./text.js";

/** What registry.ts gives the build thread (worker.ts) and what it sends back. */
export type BuildJob = {
  path: string;
  /** The file the server reads (device, inode): a thread that opens another one by the path stops. */
  file: { dev: number; ino: number };
  /** The metric read with the store. */
  metric: string;
  /** A whole store and its terms, or only the terms of a store the server holds (given its ids). */
  ids?: Uint32Array | Float64Array;
  port: MessagePort;
  /** Set to BUILT once the store is sent, DONE once the terms are, FAILED on an error; notified each time. */
  signal: Int32Array;
};
export const BUILDING = 0;
export const BUILT = 1;
export const DONE = 2;
export const FAILED = -1;

/** What the thread sends, in order: the store (unless given), the terms; or an error. */
export type BuildMessage =
  | { kind: "store"; generation: number | null; parts: StoreParts }
  | { kind: "text"; generation: number | null; text: TextIndex }
  | { kind: "error"; message: string };

