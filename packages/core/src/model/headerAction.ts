import { z } from 'zod';
import { HeaderName } from '../grammar/names.js';
import { checkSampleTemplate } from '../grammar/sampleTemplate.js';
import { PrintableText } from '../grammar/text.js';
import { hint } from './hints.js';

/**
 * Set, add or delete a header on the request (before it reaches the backend) or on the response
 * (seed 000: a local sidecar that adds `x-imps-instance` to every outbound call).
 * A value is literal unless `dynamic` is set; dynamic values use the allow-listed `%[...]` grammar.
 */
export const HeaderAction = z
  .object({
    phase: hint(z.enum(['request', 'response']), { label: 'On' }),
    action: hint(z.enum(['set', 'add', 'del']), { label: 'Action' }),
    name: hint(HeaderName, { label: 'Header', placeholder: 'X-Forwarded-Proto' }),
    value: hint(PrintableText(0, 1024).optional(), { label: 'Value' }),
    dynamic: hint(z.boolean().default(false), {
      label: 'Dynamic value',
      help: 'Allow %[fetch,converter] expressions such as %[req.hdr(host),lower]',
      advanced: true,
    }),
  })
  .strict()
  .superRefine((h, ctx) => {
    if (h.action === 'del') {
      if (h.value !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['value'],
          message: 'must be empty when deleting a header',
        });
      }
      return;
    }
    if (h.value === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['value'],
        message: `is required to ${h.action} a header`,
      });
      return;
    }
    if (h.dynamic) {
      const problem = checkSampleTemplate(h.value);
      if (problem) ctx.addIssue({ code: 'custom', path: ['value'], message: problem.message });
    }
  });
export type HeaderAction = z.output<typeof HeaderAction>;
