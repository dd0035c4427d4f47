import { DecodeError } from '../errors/DecodeError.js';
import type { StatusModel } from './StatusModel.js';

/** The job's status, or a `DecodeError` naming the field that holds no status of the model. */
export function statusOrThrow<S extends string>(model: StatusModel<S, string>, job: unknown): S {
  const status = model.statusOf(job);
  if (status !== undefined) return status;
  const record = typeof job === 'object' && job !== null ? (job as Record<string, unknown>) : {};
  const field = model.fields.find((name) => record[name] !== undefined) ?? model.fields[0] ?? 'status';
  const id = typeof record.id === 'string' ? record.id : undefined;
  throw new DecodeError(
    'job',
    [`/${field}: expected a ${model.name} status (${model.statuses.join(', ')}) but got ${JSON.stringify(record[field]) ?? 'nothing'}`],
    id,
  );
}
