/** The dashboard's own version, injected by vite.config.ts (`define`); absent under Vitest. */
declare const __APP_VERSION__: string | undefined;
