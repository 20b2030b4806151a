import { error, type Finding, warning } from "./problems.js";

/**
 * Bytes of a text file → text, with the encoding named. Encoding is explicit, as sqlite-utils
 * makes it: UTF-8 (with or without its BOM) and UTF-16 with a BOM are read as they are; bytes that
 * are not UTF-8 are read as windows-1252 (what Excel on Windows writes as "CSV", and a superset of
 * latin-1) with a warning naming it. Nothing is ever decoded into U+FFFD replacement characters.
 */
export function decodeText(bytes: Uint8Array): { text: string; encoding: string | null; findings: Finding[] } {
  const [a, b, c] = bytes;
  if (a === 0xef && b === 0xbb && c === 0xbf) return { text: utf8(bytes.subarray(3)), encoding: "utf-8", findings: [] };
  if (a === 0xff && b === 0xfe) return utf16("utf-16le", bytes.subarray(2));
  if (a === 0xfe && b === 0xff) return utf16("utf-16be", bytes.subarray(2));
  // NUL bytes: UTF-16 without its BOM, or not text at all; either way a guess could only mislead.
  if (bytes.includes(0)) {
    return {
      text: "",
      encoding: null,
      findings: [error("encoding", "the file holds NUL bytes: UTF-16 without a byte-order mark, or not a text file; save it as UTF-8")],
    };
  }
  try {
    return { text: utf8(bytes), encoding: "utf-8", findings: [] };
  } catch {
    const text = new TextDecoder("windows-1252").decode(bytes);
    const line = new TextDecoder("utf-8").decode(bytes).split("\n").findIndex((l) => l.includes("\uFFFD")) + 1;
    return {
      text,
      encoding: "windows-1252",
      findings: [
        warning(
          "encoding",
          `not UTF-8 (first at line ${line}): read as windows-1252 (latin-1); check the accented letters, or save the file as UTF-8`,
        ),
      ],
    };
  }
}

const utf8 = (bytes: Uint8Array) => new TextDecoder("utf-8", { fatal: true }).decode(bytes);

function utf16(encoding: "utf-16le" | "utf-16be", bytes: Uint8Array) {
  try {
    const text = new TextDecoder(encoding, { fatal: true }).decode(bytes);
    return { text, encoding, findings: [warning("encoding", `read as ${encoding.toUpperCase()} (it has a byte-order mark); stored as UTF-8`)] };
  } catch {
    return { text: "", encoding: null, findings: [error("encoding", `starts with a ${encoding.toUpperCase()} byte-order mark but is not valid ${encoding.toUpperCase()}`)] };
  }
}
