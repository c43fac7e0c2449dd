/**
 * Password hashing with argon2id (@node-rs/argon2 defaults to argon2id).
 *
 * Order matters for hostile input (BI-A13): the byte cap is checked first (no work at all for
 * a 1 MB password), then NFC normalisation, then the character cap, and only then argon2 —
 * inside a semaphore so a login burst cannot exhaust memory (BI-A14).
 */
import { hash, verify } from '@node-rs/argon2';
import { normalisePassword, PASSWORD_MAX_BYTES, PASSWORD_MAX_LENGTH } from '@cairn/domain';
import { CoreError } from './errors.ts';
import { QueueFullError, Semaphore } from './semaphore.ts';

export interface Argon2Params {
  /** KiB. OWASP floor is 19 MiB (19456) with t=2, p=1. */
  memoryCost: number;
  timeCost: number;
  parallelism: number;
}

export const DEFAULT_ARGON2: Argon2Params = { memoryCost: 19456, timeCost: 2, parallelism: 1 };

export interface PasswordHasherOptions {
  params: Argon2Params;
  concurrency: number;
  maxQueue: number;
}

export class PasswordHasher {
  readonly #params: Argon2Params;
  readonly #gate: Semaphore;
  #dummyHash: Promise<string> | undefined;

  constructor(options: PasswordHasherOptions) {
    this.#params = options.params;
    this.#gate = new Semaphore(options.concurrency, options.maxQueue);
  }

  /** Returns null when the password is over the caps: callers treat that as "wrong". */
  prepare(password: string): string | null {
    if (password.length > PASSWORD_MAX_BYTES) return null;
    if (Buffer.byteLength(password, 'utf8') > PASSWORD_MAX_BYTES) return null;
    const normalised = normalisePassword(password);
    if ([...normalised].length > PASSWORD_MAX_LENGTH) return null;
    return normalised;
  }

  async hash(password: string): Promise<string> {
    const prepared = this.prepare(password);
    if (prepared === null) throw new RangeError('Password exceeds the length cap.');
    return this.#guarded(() => hash(prepared, this.#params));
  }

  /**
   * Verifies against `storedHash`, or against a dummy hash when the account does not exist,
   * so an unknown email costs the same time as a wrong password.
   */
  async verify(storedHash: string | null, password: string): Promise<boolean> {
    const prepared = this.prepare(password);
    if (prepared === null) return false;
    const target = storedHash ?? (await this.#getDummyHash());
    const ok = await this.#guarded(() => verify(target, prepared));
    return ok && storedHash !== null;
  }

  /** True when a stored hash was made with other parameters and should be replaced. */
  needsRehash(storedHash: string): boolean {
    const { memoryCost, timeCost, parallelism } = this.#params;
    return !storedHash.includes(`$m=${memoryCost},t=${timeCost},p=${parallelism}$`);
  }

  async #guarded<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await this.#gate.run(work);
    } catch (error) {
      if (!(error instanceof QueueFullError)) throw error;
      throw new CoreError('busy', 'busy', 'Cairn is busy signing people in. Try again in a few seconds.', {
        retryAfterSeconds: 2,
      });
    }
  }

  #getDummyHash(): Promise<string> {
    this.#dummyHash ??= hash('cairn-dummy-password-for-timing', this.#params);
    return this.#dummyHash;
  }
}
