import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { accessToken, ApiError, setAccessToken } from '../api.js';

export function Loading({ what }: { what: string }) {
  return (
    <p class="loading" role="status" aria-live="polite">
      <span class="spinner" aria-hidden="true" /> Loading {what}…
    </p>
  );
}

/** An error a person can act on: what failed, the server's code and message, and what to try. */
export function ErrorBox({ error, what, children }: { error: Error; what: string; children?: ComponentChildren }) {
  const api = error instanceof ApiError ? error : undefined;
  let hint: ComponentChildren = '';
  if (api?.status === 404) {
    hint = (
      <>
        It may have been unpublished or renamed; go back to <a href="#/">the list of publications</a>.
      </>
    );
  }
  if (api?.status === 0) hint = 'Check that the scheduler (`cubemark serve`) is running, then reload the page.';
  else if (api?.status === 503) hint = 'The scheduler is still restoring; try again in a moment.';
  else if (api?.status === 413) hint = 'Select a smaller part of the cube.';
  else if (api && api.status >= 500) hint = 'The server failed: its log says more.';
  const needsToken = api?.status === 401 || api?.code === 'FORBIDDEN';
  return (
    <div class="error" role="alert">
      <p>
        <strong>Could not load {what}.</strong> {error.message}
        {api && api.code !== `HTTP_${api.status}` && <code class="code">{api.code}</code>}
      </p>
      {hint && <p class="hint">{hint}</p>}
      {needsToken && <TokenForm rejected={api?.code === 'FORBIDDEN'} />}
      {children}
    </div>
  );
}

/** Asks for the token a server with closed reads wants, then loads the page again with it. */
function TokenForm({ rejected }: { rejected: boolean }) {
  const [token, setToken] = useState('');
  return (
    <form
      class="token-form"
      onSubmit={(e) => {
        e.preventDefault();
        setAccessToken(token);
        location.reload();
      }}
    >
      <p class="hint">
        {rejected
          ? 'The server does not accept the token this tab sends. Enter another (its operator gives read tokens out):'
          : 'This server lets only holders of a token read it. Enter a read token (its operator gives them out):'}
      </p>
      <label>
        Access token <input type="password" autocomplete="off" value={token} onInput={(e) => setToken((e.target as HTMLInputElement).value)} />
      </label>{' '}
      <button type="submit" disabled={!token.trim()}>
        Use this token
      </button>
      {accessToken() && (
        <button type="button" onClick={() => (setAccessToken(undefined), location.reload())}>
          Forget the token
        </button>
      )}
    </form>
  );
}

export function StateBadge({ state, warnings = [] }: { state: string; warnings?: readonly string[] }) {
  const label = state === 'ready' ? 'restored' : state;
  return (
    <span class={`badge badge-${state}`} title={warnings.join('\n') || undefined}>
      {label}
      {warnings.length > 0 && <span class="visually-hidden">: {warnings.join('; ')}</span>}
    </span>
  );
}
