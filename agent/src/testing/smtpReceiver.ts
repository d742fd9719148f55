import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';
import { freeTcpPort } from './agentProcess.js';
import { makeTestChain } from './testCertificates.js';

/** One mail the receiver accepted: who signed in, the envelope, and the message as sent. */
export interface ReceivedMail {
  user: string | null;
  from: string;
  to: string[];
  raw: string;
}

/**
 * A real SMTP server for tests (smtp-server, from nodemailer's authors) on loopback: STARTTLS
 * with a certificate for `localhost` from a test CA (`caFile`, for the agent to trust as it
 * would a private CA), sign-in required (`user`/`password`), mail to `nobody@…` refused with
 * 550. Every accepted mail is kept in `got`, in order.
 */
export async function startSmtpReceiver(dir: string) {
  const chain = await makeTestChain(['localhost']);
  const caFile = join(dir, 'smtp-ca.pem');
  await writeFile(caFile, chain.root);
  const got: ReceivedMail[] = [];
  const credentials = { user: 'tandem', password: 'a mail password' };
  const server = new SMTPServer({
    key: chain.leafKey,
    cert: chain.leaf + chain.intermediate,
    authMethods: ['PLAIN', 'LOGIN'],
    onAuth(auth, _session, cb) {
      if (auth.username === credentials.user && auth.password === credentials.password)
        cb(null, { user: auth.username });
      else cb(Object.assign(new Error('Invalid username or password'), { responseCode: 535 }));
    },
    onRcptTo(address, _session, cb) {
      if (address.address.startsWith('nobody@'))
        cb(Object.assign(new Error('No such user here'), { responseCode: 550 }));
      else cb();
    },
    onData(stream, session, cb) {
      let raw = '';
      stream.on('data', (b: Buffer) => (raw += b.toString()));
      stream.on('end', () => {
        const from = session.envelope.mailFrom;
        got.push({
          user: typeof session.user === 'string' ? session.user : null,
          from: from ? from.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw,
        });
        cb();
      });
    },
    logger: false,
  });
  const port = await freeTcpPort();
  // Both loopbacks: `localhost` may resolve to either.
  await new Promise<void>((r) => server.listen(port, '::', r));
  return {
    host: 'localhost',
    port,
    caFile,
    credentials,
    got,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
