// What the embedded broker asks of an access policy: who a client is at CONNECT, what it may publish and subscribe
// to, and when to ask again whether its credential still stands. The broker knows no tokens or roles.

/** A connected client's rights, decided at CONNECT. */
export interface ClientRights {
  /** Who the client is, for logs: the token's name, or the engine. */
  readonly name: string;
  mayPublish(topic: string): boolean;
  /** `filter` may hold wildcards: true only if every topic it can match is allowed. */
  maySubscribe(filter: string): boolean;
  /** False once the credential behind the rights is revoked: the broker then disconnects the client. */
  stillValid(): boolean;
}

/** CONNACK return codes of MQTT 3.1.1 a refusal may carry. */
type RefusalCode = 3 | 4 | 5;

export type ConnectVerdict =
  { type: 'accepted'; rights: ClientRights } | { type: 'refused'; returnCode: RefusalCode; reason: string };

export interface BrokerGate {
  connect(username: string | undefined, password: Buffer | undefined): ConnectVerdict;
  /** Calls `recheck` whenever credentials may have changed (a token revoked); returns the way to stop. */
  watch(recheck: () => void): () => void;
}
