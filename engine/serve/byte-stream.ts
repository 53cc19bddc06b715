// A response body fed by a producer that waits when the client reads slowly, and learns when the client goes away.

export class ByteStream {
  readonly stream: ReadableStream<Uint8Array>;
  /** Resolves when the producer has its first bytes ready: the moment to send the status and headers. */
  readonly started: Promise<Record<string, string>>;
  private controller!: ReadableStreamDefaultController<Uint8Array>;
  private drained: (() => void) | null = null;
  private gone = false;
  private start!: (headers: Record<string, string>) => void;

  constructor(onCancel: () => void) {
    this.started = new Promise((resolve) => {
      this.start = resolve;
    });
    this.stream = new ReadableStream<Uint8Array>(
      {
        start: (controller) => {
          this.controller = controller;
        },
        pull: () => {
          this.drained?.();
          this.drained = null;
        },
        cancel: () => {
          this.gone = true;
          this.drained?.();
          onCancel();
        },
      },
      { highWaterMark: 8 },
    );
  }

  open(headers: Record<string, string> = {}): void {
    this.start(headers);
  }

  /** Queues bytes; waits while the client is behind. Throws once the client has gone, which stops the producer. */
  async write(bytes: Uint8Array | string): Promise<void> {
    if (this.gone) throw new Error('the client closed the download');
    this.controller.enqueue(typeof bytes === 'string' ? new TextEncoder().encode(bytes) : bytes);
    if ((this.controller.desiredSize ?? 1) <= 0)
      await new Promise<void>((resolve) => {
        this.drained = resolve;
      });
    if (this.gone) throw new Error('the client closed the download');
  }

  close(): void {
    if (!this.gone) this.controller.close();
  }

  /** A failure after the headers went out can only cut the body short: the client sees an incomplete download. */
  fail(err: unknown): void {
    if (!this.gone) this.controller.error(err);
  }
}
