/**
 * The key that seals TOTP secrets. Several instances must share it, so with PostgreSQL it
 * has to come from CAIRN_SECRET_KEY. On a clinic box it is made once and kept in a file
 * beside (not inside) the database, readable by Cairn's user only.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ConfigError, type ServerConfig } from './config.ts';

export function loadSecretKey(config: ServerConfig): Buffer {
  if (config.secretKeyBase64) return Buffer.from(config.secretKeyBase64, 'base64');
  if (config.databaseUrl) {
    throw new ConfigError(['CAIRN_SECRET_KEY: required with DATABASE_URL so every instance shares it']);
  }
  const file = path.join(config.dataDir, 'secret.key');
  fs.mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  try {
    return readKeyFile(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  // 'wx' fails if another process created it meanwhile; then read theirs.
  try {
    fs.writeFileSync(file, randomBytes(32).toString('base64') + '\n', { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  return readKeyFile(file);
}

function readKeyFile(file: string): Buffer {
  const key = Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'base64');
  if (key.length !== 32) throw new ConfigError([`${file}: does not hold a 32-byte base64 key`]);
  return key;
}
