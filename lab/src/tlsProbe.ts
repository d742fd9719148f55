#!/usr/bin/env node
/**
 * The certificate a TLS server presents, as a client inside a lab namespace sees it (the HA
 * tests): `node tlsProbe.js HOST PORT SERVERNAME`. Prints {fingerprint, subject} or {error}.
 */
import { connect } from 'node:tls';

const [host, port, servername] = process.argv.slice(2);
const s = connect(
  { host, port: Number(port), servername, rejectUnauthorized: false, timeout: 5_000 },
  () => {
    const c = s.getPeerCertificate();
    console.log(JSON.stringify({ fingerprint: c.fingerprint256, subject: c.subject.CN ?? '' }));
    s.end();
  },
);
s.on('timeout', () => s.destroy(new Error('no answer within 5 s')));
s.on('error', (e) => console.log(JSON.stringify({ error: e.message })));
