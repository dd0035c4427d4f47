import type { HttpError } from '../errors/HttpError.js';
import { query } from './query.js';

/** The AI/ML API's current error body: `{ message, path, requestId, statusCode, timestamp }`. */
export function aimlBodyError(body: unknown): { status: number; message: string } | undefined {
  const record = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : undefined;
  const status = record?.statusCode;
  if (typeof status !== 'number' || status < 400 || typeof record?.message !== 'string' || 'id' in record) return undefined;
  return { status, message: record.message };
}

/** A 404, or a 400 whose message says the generation is not found. */
export function aimlUnknownId(error: HttpError): boolean {
  return error.status === 404;
}

/** `…?generation_id=ID`: one id per request, no wait parameter. */
export const byGenerationId = (path: string) => (ids: readonly string[]) => `${path}?${query([['generation_id', ids[0]]])}`;

/** The ids a generic create answers with: `{ id, status }`, or `{ generation_id }`. */
export function createdId(body: unknown): string[] | undefined {
  const record = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  const id = record.id ?? record.generation_id;
  return typeof id === 'string' ? [id] : undefined;
}
