/**
 * Documents sent to the workers as UTF-8 bytes: their UTF-16 length (the raw offsets of later parts, the
 * characters counted against `shardChars`) and the buffers to transfer (not copy) with a build request.
 */
import { isAscii, isUtf8 } from "node:buffer";
import type { ShardDoc } from "../match/shard-build.js";

/**
 * UTF-16 length of the UTF-8 `bytes` once decoded (as `Buffer#toString("utf8")`, invalid sequences as
 * U+FFFD). Counted without decoding when the bytes are valid.
 * @example utf16Length(Buffer.from("a😀é")) // 4
 */
export function utf16Length(bytes: Uint8Array): number {
  if (isAscii(bytes)) return bytes.length;
  if (!isUtf8(bytes))
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString("utf8").length;
  let n = 0;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    // One unit per character (lead or ASCII byte), two for the four-byte ones (surrogate pairs).
    if ((b & 0xc0) !== 0x80) n += b >= 0xf0 ? 2 : 1;
  }
  return n;
}

/** Characters (UTF-16 units) of a document's text, whether a string or UTF-8 bytes. */
export function docChars(d: ShardDoc): number {
  return typeof d.text === "string" ? d.text.length : utf16Length(d.text);
}

/**
 * The docs with every byte text in a buffer of its own (copied when it shares one, e.g. Node's pool), and
 * those buffers: a transfer list for `postMessage`, so the bytes move to the worker without a copy.
 */
export function transferable(docs: readonly ShardDoc[]): { docs: ShardDoc[]; transfer: ArrayBuffer[] } {
  const transfer: ArrayBuffer[] = [];
  const out = docs.map((d) => {
    if (typeof d.text === "string") return d;
    const b = d.text;
    const own =
      b.buffer instanceof ArrayBuffer && b.byteOffset === 0 && b.byteLength === b.buffer.byteLength
        ? b
        : new Uint8Array(b);
    transfer.push(own.buffer as ArrayBuffer);
    return own === b ? d : { ...d, text: own };
  });
  return { docs: out, transfer };
}
