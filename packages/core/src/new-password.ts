import { findPasswordProblem, PASSWORD_PROBLEM_MESSAGES } from '@cairn/domain';
import { CoreError } from './errors.ts';

/** The password policy applied wherever a password is chosen (setup, invite acceptance). */
export function assertAcceptablePassword(password: string, email: string): void {
  const problem = findPasswordProblem(password, email);
  if (!problem) return;
  const message = PASSWORD_PROBLEM_MESSAGES[problem];
  throw new CoreError('unprocessable', 'weak_password', message, { fields: { password: message } });
}
