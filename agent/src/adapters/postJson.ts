import type { PostJson } from '../services/notifications.js';

/** POSTs JSON with Node's fetch, 5 s at most: the status, or throws. */
export const postJson: PostJson = async (url, body) => {
  const r = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'user-agent': 'tandem-agent' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(5_000),
  });
  await r.body?.cancel();
  return r.status;
};
