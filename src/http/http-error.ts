// Moved to src/errors.ts (one error vocabulary); kept as a re-export for existing imports.
export { HttpError, badRequest } from '../errors.js';
