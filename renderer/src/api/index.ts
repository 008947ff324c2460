export { api, type StrataApi } from './strata';
export { toShownError, type ShownError } from './errors';
export { useAsync } from './use-async';
