/**
 * Splits a chunked byte stream into newline-delimited JSON values (the watch wire format: one
 * compact `{"type","object"}` per line). Chunks may cut a line — or a multi-byte UTF-8 character —
 * anywhere, so bytes are buffered until a newline arrives. Unparseable lines are reported to
 * `onBadLine` (default: dropped, as client-node does) rather than ending the stream.
 */
import { StringDecoder } from 'node:string_decoder';

export class LineSplitter {
  private readonly decoder = new StringDecoder('utf8');
  private pending = '';

  constructor(
    private readonly onObject: (obj: unknown) => void,
    private readonly onBadLine: (line: string) => void = () => {},
  ) {}

  push(chunk: Buffer | string): void {
    const text = this.pending + (typeof chunk === 'string' ? chunk : this.decoder.write(chunk));
    // Walk the lines by index and keep only the unfinished tail: slicing the rest off after every
    // line copied a chunk of n lines n times.
    let start = 0;
    let nl: number;
    while ((nl = text.indexOf('\n', start)) >= 0) {
      this.emit(text.slice(start, nl));
      start = nl + 1;
    }
    this.pending = start === 0 ? text : text.slice(start);
  }

  /** Flush a final line that had no trailing newline. */
  end(): void {
    this.pending += this.decoder.end();
    const rest = this.pending;
    this.pending = '';
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
