/**
 * Headers for every response. They are set on the raw Node response so that they also
 * cover the SvelteKit pages, which write their own response; SvelteKit then replaces the CSP
 * with its nonce-bearing page policy, and static assets replace Cache-Control.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';

const API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

export function createSecurityHeaders(publicOrigin: string | undefined) {
  const https = publicOrigin?.startsWith('https://') ?? false;
  return async function securityHeaders(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const res = reply.raw;
    res.setHeader('Content-Security-Policy', API_CSP);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('X-Frame-Options', 'DENY');
    res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
    res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
    res.setHeader(
      'Permissions-Policy',
      'camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()',
    );
    // PHI must not linger in shared or browser caches (ASVS 14.3.2).
    res.setHeader('Cache-Control', 'no-store');
    if (https || request.protocol === 'https') {
      res.setHeader('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
    }
  };
}
