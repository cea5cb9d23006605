/**
 * Splits a chunked byte stream into newline-delimited JSON values (the watch wire format: one
 * compact `{"type","object"}` per line). Chunks may cut a line — or a multi-byte UTF-8 character —
 * anywhere, so bytes are buffered until a newline arrives. Unparseable lines are reported to
 * `onBadLine` (default: dropped, as client-node does) rather than ending the stream.
 */
import { StringDecoder } from 'node:string_decoder';

export class LineSplitter {
  private readonly decoder = new StringDecoder('utf8');
  /** The unfinished line, as the pieces it arrived in (none holds a newline). */
  private pending: string[] = [];

  constructor(
    private readonly onObject: (obj: unknown) => void,
    private readonly onBadLine: (line: string) => void = () => {},
  ) {}

  push(chunk: Buffer | string): void {
    const text = typeof chunk === 'string' ? chunk : this.decoder.write(chunk);
    // Only the new text is searched, and an unfinished line is kept as pieces joined once when
    // its newline arrives: concatenating and rescanning on every chunk made one large object
    // (a 500 KB watch event arrives in ~30 chunks) cost O(size²/chunk).
    let start = 0;
    let nl: number;
    while ((nl = text.indexOf('\n', start)) >= 0) {
      const piece = text.slice(start, nl);
      if (this.pending.length > 0) {
        this.pending.push(piece);
        this.emit(this.pending.join(''));
        this.pending = [];
      } else {
        this.emit(piece);
      }
      start = nl + 1;
    }
    if (start < text.length) this.pending.push(start === 0 ? text : text.slice(start));
  }

  /** Flush a final line that had no trailing newline. */
  end(): void {
    this.pending.push(this.decoder.end());
    const rest = this.pending.join('');
    this.pending = [];
    this.emit(rest);
  }

  private emit(line: string): void {
    const trimmed = line.trim();
    if (!trimmed) return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(trimmed);
    } catch {
      this.onBadLine(trimmed);
      return;
    }
    this.onObject(parsed);
  }
}
