import { checkPublicationName } from '@cubemark/format';
import { InvalidNameError } from './errors.js';

/** Throws `InvalidNameError` (code INVALID_NAME) unless `name` follows the format's name rule (`checkPublicationName`). */
export function assertValidName(name: unknown): asserts name is string {
  const problem = checkPublicationName(name);
  if (problem) throw new InvalidNameError(problem);
}
