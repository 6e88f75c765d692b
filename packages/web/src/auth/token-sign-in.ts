/** Turns a bare token (pasted, or from the URL fragment) into a session by asking the server who it is. */
import { createApi } from '../api.js';
import type { Session } from './session.js';

export async function sessionFromToken(token: string): Promise<Session> {
  const me = await createApi({ getToken: () => token }).me();
  return { token, user: me.user, expiresAt: me.expiresAt };
}
