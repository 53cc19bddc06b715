// A real SMTP server for a test: takes every message on 127.0.0.1 (no TLS, no login) and keeps it parsed.
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface Mailbox {
  port: number;
  /** Messages received, parsed, each with the recipients of its envelope. */
  messages: (ParsedMail & { rcpt: string[] })[];
  close(): Promise<void>;
}

/** `port` 0 takes a free one; a given port is taken as it is (a test that starts the server late). */
export async function startMailbox(port = 0): Promise<Mailbox> {
  const messages: Mailbox['messages'] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      simpleParser(stream).then(
        (mail) => {
          messages.push(Object.assign(mail, { rcpt: session.envelope.rcptTo.map((r) => r.address) }));
          callback();
        },
        (err: Error) => callback(err),
      );
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const address = server.server.address();
  return {
    port: typeof address === 'object' && address ? address.port : port,
    messages,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
