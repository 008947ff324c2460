export { api, type StrataApi } from './strata';
export { toShownError, type ShownError } from './errors';
