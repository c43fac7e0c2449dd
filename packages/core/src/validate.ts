import type { z } from 'zod';
import { CoreError } from './errors.ts';

/**
 * Parses untrusted input with a domain schema. Unknown fields are a 400 (mass assignment,
 * BI-A11); bad values are a 422 that names each field so the form can show it.
 */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const unknownKeys = result.error.issues.find((issue) => issue.code === 'unrecognized_keys');
  if (unknownKeys && 'keys' in unknownKeys) {
    throw new CoreError('invalid', 'unknown_field', `Unknown field: ${unknownKeys.keys.join(', ')}.`);
  }
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new CoreError('invalid', 'invalid_body', 'The request body must be a JSON object.');
  }
  const fields: Record<string, string> = {};
  for (const issue of result.error.issues) {
    const field = issue.path.map(String).join('.') || '_';
    fields[field] ??= issue.message;
  }
  throw new CoreError('unprocessable', 'validation_failed', 'Check the highlighted fields.', { fields });
}
