import { z } from 'zod';
import { fetchJson } from '../lib/api-client.ts';

/** `POST /api/login {password}` → 204 and an HttpOnly cookie; 401 Problem when wrong. */
export async function login(password: string): Promise<void> {
  await fetchJson('/api/login', z.unknown(), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ password }),
  });
}

/** `POST /api/logout` → 204. */
export async function logout(): Promise<void> {
  await fetchJson('/api/logout', z.unknown(), { method: 'POST' });
}

/** The relay's answer when it wants the dashboard password. */
export const AUTH_REQUIRED_CODE = 'dashboard_authentication_required';
