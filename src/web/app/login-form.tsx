import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { ApiProblemError } from '../lib/api-client.ts';
import { useLiveStoreApi } from '../lib/live-store/index.ts';
import { login } from './auth-api.ts';

/** Shown when the relay is protected by DASHBOARD_PASSWORD and this browser is not signed in. */
export function LoginForm() {
  const [password, setPassword] = useState('');
  const queryClient = useQueryClient();
  const store = useLiveStoreApi();
  const id = useId();
  const mutation = useMutation({
    mutationFn: login,
    onSuccess: async () => {
      setPassword('');
      store.retryLinkNow();
      await queryClient.invalidateQueries();
    },
  });
  const error = mutation.error;
  return (
    <section className="panel login" aria-labelledby={`${id}-heading`} data-testid="login">
      <h2 id={`${id}-heading`}>Sign in</h2>
      <p>This relay is protected by a dashboard password (DASHBOARD_PASSWORD).</p>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          mutation.mutate(password);
        }}
      >
        <label htmlFor={`${id}-password`}>Password</label>
        <input
          id={`${id}-password`}
          type="password"
          autoComplete="current-password"
          value={password}
          onChange={(event) => setPassword(event.target.value)}
          required
          aria-describedby={error ? `${id}-error` : undefined}
        />
        <button type="submit" className="button" disabled={mutation.isPending || password === ''}>
          {mutation.isPending ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
      {error ? (
        <p id={`${id}-error`} className="inline-problem">
          {error instanceof ApiProblemError && error.problem.status === 401
            ? 'Wrong password.'
            : `Could not sign in: ${error instanceof ApiProblemError ? error.problem.code : error.message}`}
        </p>
      ) : null}
    </section>
  );
}
