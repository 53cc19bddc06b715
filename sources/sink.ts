// The way out: something the engine publishes (an alert) to another city system, over the connector's transport.
export interface Sink {
  readonly name: string;
  /** Sends one message; `subject` is a topic, subject or path suffix in the transport's own syntax. */
  send(subject: string, payload: Uint8Array): Promise<void>;
  close(): Promise<void>;
}
