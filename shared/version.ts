/** Strata's version; a test keeps it equal to package.json's. */
export const STRATA_VERSION = '0.1.0';
