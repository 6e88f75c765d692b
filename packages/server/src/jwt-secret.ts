/**
 * The one side effect of configuration: in development, a JWT secret that nobody configured is
 * generated once and kept in DATA_DIR/jwt-secret (mode 0600), so dev tokens survive restarts
 * without anyone pasting a secret into a shell. Production never gets here without JWT_SECRET
 * (`loadConfig` refuses to start).
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Config, ConfigError } from './config.js';

export const JWT_SECRET_FILE = 'jwt-secret';

/** Returns the secret to sign and verify tokens with: JWT_SECRET, else the persisted dev secret. */
export function ensureJwtSecret(config: Config, logger: { warn(obj: object, msg: string): void }): string {
  if (config.jwtSecret !== null) return config.jwtSecret;
  if (config.production) {
    throw new ConfigError('JWT_SECRET is required when NODE_ENV=production.');
  }
  const file = join(config.dataDir, JWT_SECRET_FILE);
  const existing = readExisting(file);
  if (existing !== null) {
    logger.warn({ file }, `JWT_SECRET is not set: using the development secret stored in ${file}`);
    return existing;
  }
  const secret = randomBytes(48).toString('base64url');
  mkdirSync(config.dataDir, { recursive: true });
  // 'wx': never overwrite a secret another process wrote in the meantime.
  try {
    writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      const raced = readExisting(file);
      if (raced !== null) return raced;
    }
    throw error;
  }
  chmodSync(file, 0o600); // the mode option is filtered by the umask
  logger.warn(
    { file },
    `JWT_SECRET is not set: generated a development secret in ${file}. Set JWT_SECRET in production.`,
  );
  return secret;
}

function readExisting(file: string): string | null {
  try {
    const secret = readFileSync(file, 'utf8').trim();
    return secret === '' ? null : secret;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}
