import type * as Nodemailer from 'nodemailer';
import type { SmtpSettings } from '@tandem/core';

/** One email through the configured server; throws a MailError when it was not accepted. */
export type SendMail = (
  smtp: SmtpSettings,
  message: { to: readonly string[]; subject: string; text: string },
) => Promise<void>;

/** Why a mail was not sent; `permanent` when the server refused it for good (SMTP 5xx). */
export class MailError extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
  ) {
    super(message);
  }
}

/** nodemailer, loaded on first use: a unit that sends no mail does not carry it. */
let loaded: Promise<typeof Nodemailer> | null = null;

/**
 * SMTP submission through nodemailer: STARTTLS required on `starttls`, TLS from the first byte
 * on `tls`, the server's certificate checked against the system's CAs either way; 10 s to
 * connect and to answer each step.
 */
export const sendMail: SendMail = async (smtp, message) => {
  const nodemailer = await (loaded ??= import('nodemailer'));
  const transport = nodemailer.createTransport({
    host: smtp.host,
    port: smtp.port,
    secure: smtp.security === 'tls',
    requireTLS: smtp.security === 'starttls',
    ignoreTLS: smtp.security === 'none',
    ...(smtp.username && smtp.password
      ? { auth: { user: smtp.username, pass: smtp.password } }
      : {}),
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 10_000,
  });
  try {
    await transport.sendMail({
      from: smtp.from,
      to: [...message.to],
      subject: message.subject,
      text: message.text,
    });
  } catch (e) {
    const code = (e as { responseCode?: number }).responseCode;
    const why = e instanceof Error ? e.message : String(e);
    throw new MailError(why, code !== undefined && code >= 500 && code < 600);
  } finally {
    transport.close();
  }
};
