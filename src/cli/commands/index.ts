import type { Command } from "../command.js";
import { recommendCommand, statsCommand, trendsCommand } from "./aggregates.js";
import { importCommand } from "./import.js";
import { convCommand, methodsCommand } from "./methods.js";
import { refsCommand } from "./refs.js";
import { studiesCommand } from "./studies.js";

/** Every command, in the order the help lists them. */
export const COMMANDS: Command[] = [studiesCommand, statsCommand, trendsCommand, recommendCommand, refsCommand, methodsCommand, convCommand, importCommand];
