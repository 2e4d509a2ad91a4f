import { ApplicationFailure } from '@temporalio/activity';
import { InterventionFailure } from '../workflows/intervention/intervention.contract.js';

/** A reference (contract, technician, part) that does not exist will not appear by retrying. */
export function unknownReference(message: string): never {
  throw ApplicationFailure.nonRetryable(message, InterventionFailure.UnknownReference);
}
