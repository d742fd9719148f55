import { join } from 'node:path';
import type { EventRow } from '@tandem/core';
import { writeFileAtomic } from './adapters/atomicFiles.js';
import { postJson } from './adapters/postJson.js';
import { sendMail } from './adapters/sendMail.js';
import type { AgentEnv } from './env.js';
import { createNotifications } from './services/notifications.js';

/**
 * Part of the agent's composition root (main.ts): webhooks hear of the events the unit records
 * (their settings in notifications.json in the state directory).
 */
export async function composeNotifications(o: {
  env: AgentEnv;
  events: { subscribe: (l: (e: EventRow) => void) => () => void };
  log: (m: string) => void;
}) {
  const notifications = createNotifications({
    stateFile: join(o.env.stateDir, 'notifications.json'),
    write: writeFileAtomic,
    post: postJson,
    mail: sendMail,
    unit: o.env.unitName,
    now: Date.now,
    log: o.log,
  });
  await notifications.load();
  o.events.subscribe((e) => notifications.onEvent(e));
  return notifications;
}
