/**
 * A MySQL/MariaDB check that passes only on a server that takes writes: it logs in as a user
 * without password (like HAProxy's `mysql-check post-41`) and asks `SELECT @@global.read_only`,
 * expecting 0. HAProxy's own mysql-check only proves a login, so after a switch of primary the
 * demoted server stayed UP and writes failed on it; replicas run read-only, so this tells them
 * apart. The query and a QUIT go in one send: the server closes after answering, so a replica's
 * `1` is conclusive at once instead of waiting for `timeout check`.
 *
 * Packets (client side, protocol 4.1): the handshake response (sequence 1) with capabilities
 * LONG_PASSWORD | PROTOCOL_41 | SECURE_CONNECTION, utf8, the user and an empty auth response;
 * then COM_QUERY and COM_QUIT (sequence 0 each). Answers matched: the greeting (protocol 10), an
 * OK packet (sequence 2), and the result row (sequence 4, after column count, column and EOF)
 * holding the one-character string `0`. HAProxy hex-encodes in upper case for `rbinary`.
 */
export function mysqlWritableCheck(user: string): string[][] {
  const auth = [
    ...le32(0x0000_8201),
    ...le32(0x0100_0000),
    0x21,
    ...new Array<number>(23).fill(0),
    ...ascii(user),
    0,
    0,
  ];
  const query = [0x03, ...ascii('SELECT @@global.read_only')];
  const quit = [0x01];
  return [
    ['expect', 'rbinary', '^.{6}000[aA]'],
    ['send-binary', hex([...header(auth.length, 1), ...auth])],
    ['expect', 'rbinary', '^.{6}0200'],
    [
      'send-binary',
      hex([...header(query.length, 0), ...query, ...header(quit.length, 0), ...quit]),
    ],
    ['expect', 'binary', '020000040130'],
  ];
}

const le32 = (n: number) => [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff];
const header = (length: number, seq: number) => [
  length & 0xff,
  (length >>> 8) & 0xff,
  (length >>> 16) & 0xff,
  seq,
];
// User names are lower-case ASCII by grammar (UserName): one byte per character.
const ascii = (s: string) => [...s].map((c) => c.charCodeAt(0));
const hex = (bytes: number[]) => bytes.map((b) => b.toString(16).padStart(2, '0')).join('');
