/**
 * The moderation page: sign in with an account secret (kept in this tab only), then the
 * signed-in page (tabs.tsx): one tab per queue, each in queues/, and the tools in tools/.
 */
import type { ComponentChildren } from 'preact';
import { useCallback, useEffect, useState } from 'preact/hooks';
import type { Me } from '../core/moderation-protocol.js';
import { ApiError, accountReference, call, storeSecret, storedSecret } from './api.js';
import type { Api } from './shared.js';
import { Moderation } from './tabs.js';

export function App() {
  const [secret, setSecret] = useState<string | null>(storedSecret());
  const [me, setMe] = useState<Me | null>(null);
  const [problem, setProblem] = useState<ComponentChildren>(null);

  const signIn = useCallback(async (candidate: string) => {
    setProblem(null);
    try {
      const who = await call(candidate, 'me');
      storeSecret(candidate);
      setSecret(candidate);
      setMe(who);
    } catch (error) {
      storeSecret(null);
      setSecret(null);
      const reference = await accountReference(candidate);
      if (error instanceof ApiError && error.status === 401) {
        setProblem(
          <>
            <p>This account is not a moderator (or the secret is wrong).</p>
            {reference && (
              <p>
                Its account reference is <code data-field="reference">{reference}</code>. An admin can grant a role on the server with{' '}
                <code>npm run moderator -- grant --role moderator --account {reference}</code>
              </p>
            )}
          </>,
        );
      } else setProblem(<p>{(error as Error).message}</p>);
    }
  }, []);

  useEffect(() => {
    if (secret && !me) void signIn(secret);
  }, []);

  if (!secret || !me) return <SignIn onSignIn={signIn} problem={problem} />;
  const api: Api = (name, input) => call(secret, name, input);
  return (
    <Moderation
      me={me}
      api={api}
      secret={secret}
      onSignOut={() => {
        storeSecret(null);
        setSecret(null);
        setMe(null);
      }}
    />
  );
}

function SignIn(props: { onSignIn(secret: string): Promise<void>; problem: ComponentChildren }) {
  const [value, setValue] = useState('');
  const [busy, setBusy] = useState(false);
  return (
    <main>
      <form
        class="signin"
        aria-labelledby="signin-title"
        onSubmit={(event) => {
          event.preventDefault();
          setBusy(true);
          void props.onSignIn(value.trim()).finally(() => setBusy(false));
        }}
      >
        <h1 id="signin-title">Lantern moderation</h1>
        <p class="muted">Sign in with your account secret (the recovery code from the extension's options page). It stays in this tab only.</p>
        <label>
          Account secret
          <input type="password" autocomplete="off" spellcheck={false} required minLength={43} value={value} onInput={(e) => setValue(e.currentTarget.value)} />
        </label>
        <div>
          <button type="submit" disabled={busy}>
            Sign in
          </button>
        </div>
        {props.problem && (
          <div class="status error" role="alert">
            {props.problem}
          </div>
        )}
      </form>
    </main>
  );
}
