/**
 * Security headers for every answer of the relay, errors included (even those written to the raw
 * socket before routing): the SPA needs no inline script and no other origin.
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'x-content-type-options': 'nosniff',
  // Not `no-referrer`: under it a browser sends `Origin: null` with a form POST to the relay
  // itself (the sign-in page), which the Origin rule must refuse. `same-origin` still keeps every
  // URL of the relay from reaching another site, and lets our own requests say where they come from.
  'referrer-policy': 'same-origin',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
  'content-security-policy': [
    "default-src 'self'",
    "script-src 'self'",
    // Recharts and the virtualised feed position elements with style attributes.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "worker-src 'self' blob:",
    "font-src 'self'",
    "object-src 'none'",
    "frame-ancestors 'none'",
    "base-uri 'self'",
    "form-action 'self'",
  ].join('; '),
};
