/**
 * Secrets: the SecretStore port, its adapters (OS keychain, session memory, password files) and
 * the resolver that picks among them. See docs/secrets.md.
 */
export * from './secret-store';
export * from './keychain-store';
export * from './memory-store';
export * from './password-file-store';
export * from './secret-resolver';
