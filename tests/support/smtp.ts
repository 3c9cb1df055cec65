import net from "node:net";
import { simpleParser, type ParsedMail } from "mailparser";
import { SMTPServer } from "smtp-server";

export type ReceivedMail = { messageId: string; to: string; subject: string; raw: string };

/**
 * A real SMTP server on 127.0.0.1 that records what it accepts. `down()`
 * makes it refuse (421 at MAIL FROM, then it stops listening); `up()` listens
 * again on the same port. `delayMs` slows each DATA (a queue to shut down on).
 */
export class TestSmtp {
  received: ReceivedMail[] = [];
  /** Every MAIL transaction that reached DATA, accepted or not (Message-IDs of tries). */
  tried: string[] = [];
  /** Refuse the DATA of the next n messages with a temporary error. */
  rejectNext = 0;
  delayMs = 0;
  /** Hold RCPT TO this long (a stalled server: nothing is transmitted yet). */
  stallRcptMs = 0;
  /** Open SMTP sessions now, and the most seen at once. */
  sessions = 0;
  maxSessions = 0;
  connections = 0;
  port = 0;
  private server: SMTPServer | undefined;
  private refusing = false;

  async start(port = 0) {
    this.refusing = false;
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ["STARTTLS"],
      logger: false,
      closeTimeout: 50,
      onConnect: (_session, callback) => {
        this.connections++;
        this.sessions++;
        this.maxSessions = Math.max(this.maxSessions, this.sessions);
        callback();
      },
      onClose: () => {
        this.sessions--;
      },
      onRcptTo: (_address, _session, callback) => {
        if (this.stallRcptMs) setTimeout(() => callback(), this.stallRcptMs);
        else callback();
      },
      onMailFrom: (_address, _session, callback) => {
        if (this.refusing) {
          const error = Object.assign(new Error("service not available"), { responseCode: 421 });
          return callback(error);
        }
        callback();
      },
      onData: (stream, _session, callback) => {
        const chunks: Buffer[] = [];
        stream.on("data", (c: Buffer) => chunks.push(c));
        stream.on("end", () => {
          const raw = Buffer.concat(chunks).toString("utf8");
          const header = (name: string) => raw.match(new RegExp(`^${name}: *(.*)$`, "im"))?.[1]?.trim() ?? "";
          const mail = { messageId: header("Message-ID"), to: header("To"), subject: header("Subject"), raw };
          this.tried.push(mail.messageId);
          const finish = () => {
            if (this.refusing || this.rejectNext > 0) {
              this.rejectNext = Math.max(0, this.rejectNext - 1);
              return callback(Object.assign(new Error("try again later"), { responseCode: 451 }));
            }
            this.received.push(mail);
            callback();
          };
          if (this.delayMs) setTimeout(finish, this.delayMs);
          else finish();
        });
      },
    });
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, "127.0.0.1", () => resolve());
    });
    this.server = server;
    this.port = (server.server.address() as net.AddressInfo).port;
    return this;
  }

  get url() {
    return `smtp://127.0.0.1:${this.port}`;
  }

  /** The outage: open sessions get 421, the port stops listening. */
  async down() {
    this.refusing = true;
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((r) => server.close(() => r()));
  }

  /** Back on the same port. */
  async up() {
    await this.start(this.port);
  }

  async stop() {
    await this.down();
  }

  /** How many times each Message-ID was accepted. */
  acceptedCounts(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const m of this.received) counts.set(m.messageId, (counts.get(m.messageId) ?? 0) + 1);
    return counts;
  }
}

/**
 * A real SMTP server on 127.0.0.1 that parses what it accepts (mailparser)
 * into `inbox`: for tests that read the emails as a person would. `url` goes
 * into SMTP_URL.
 */
export async function startParsingSmtp(): Promise<{ inbox: ParsedMail[]; url: string; close: () => Promise<void> }> {
  const inbox: ParsedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onData(stream, _session, callback) {
      simpleParser(stream)
        .then((mail) => inbox.push(mail))
        .then(() => callback(), callback);
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.server.address() as { port: number }).port;
  return { inbox, url: `smtp://127.0.0.1:${port}`, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
