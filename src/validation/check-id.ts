import { badRequest } from '../fhir/errors.js';

/** R4 `id`: https://hl7.org/fhir/R4/datatypes.html#id */
const ID = /^[A-Za-z0-9\-.]{1,64}$/;

export function isValidId(id: unknown): boolean {
  return typeof id === 'string' && ID.test(id);
}

/**
 * The id rules of a write: a well-formed id in the URL and in the body, and on update
 * (`PUT [type]/[id]`, `urlId` given) the body's id present and equal to the URL's, as R4's update
 * interaction requires (400 otherwise).
 */
export function checkId(resource: { resourceType?: unknown; id?: unknown }, urlId?: string): void {
  const type = typeof resource.resourceType === 'string' ? resource.resourceType : 'Resource';
  if (urlId !== undefined && !isValidId(urlId)) {
    throw badRequest('INVALID_ID', `'${urlId.slice(0, 80)}' is not a valid id: 1 to 64 letters, digits, '-' or '.'`);
  }
  if (resource.id !== undefined && !isValidId(resource.id)) {
    throw badRequest('INVALID_ID', `${JSON.stringify(resource.id)?.slice(0, 80)} is not a valid id: 1 to 64 letters, digits, '-' or '.'`, [`${type}.id`]);
  }
  if (urlId === undefined) return;
  if (resource.id === undefined) {
    throw badRequest('ID_MISMATCH', `an update must carry the id of the URL ('${urlId}') in the resource`, [`${type}.id`]);
  }
  if (resource.id !== urlId) {
    throw badRequest('ID_MISMATCH', `the resource's id '${String(resource.id)}' differs from the id in the URL ('${urlId}')`, [`${type}.id`]);
  }
}
