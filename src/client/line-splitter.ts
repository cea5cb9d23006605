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
    this.pending += typeof chunk === 'string' ? chunk : this.decoder.write(chunk);
    let nl: number;
    while ((nl = this.pending.indexOf('\n')) >= 0) {
      const line = this.pending.slice(0, nl);
      this.pending = this.pending.slice(nl + 1);
      this.emit(line);
    }
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
