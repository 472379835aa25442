/** The kinds of body a refusal can carry: an error object, a web server's HTML page, or nothing. */
export type BodyKind = 'json' | 'html' | 'empty';

/** Answer the next `times` stream connects with `status` instead of serving them. */
export interface ConnectFault {
  status: number;
  body: BodyKind;
  /** Seconds, or any text (an HTTP date, garbage): sent as the `Retry-After` header as is. */
  retryAfter?: number | string;
  errorDescription?: string;
  /**
   * A body sent as is instead of the `body` kind's (an error object newer than the simulator's
   * table, a proxy's page), with `contentType` if given.
   */
  text?: string;
  contentType?: string;
  times: number;
}

/** Redirect the next connect `hops` times (or forever with `loop`). */
export interface RedirectFault {
  hops: number;
  /** Each hop points to the other port (another origin); otherwise the same origin. */
  crossOrigin: boolean;
  loop: boolean;
  /** Sent as the `Location` as is, however hostile (`http://[::1`, `file:///etc/passwd`, another host). */
  location?: string;
}

/** Make the next `times` token requests fail with `status`, or with no answer at all. */
export interface TokenFault {
  status: number;
  body: BodyKind;
  unreachable: boolean;
  times: number;
}

/** What a token request answers instead of a token (`200` every time). */
export type TokenAnswerKind = 'garbage' | 'no-token' | 'expires-zero';

/** Make the next `times` token requests answer 200 with something that is not a usable token. */
export interface TokenAnswerFault {
  answer: TokenAnswerKind;
  times: number;
}

/**
 * Faults queued by the control API for the next requests. Each `take*` consumes one use; a
 * second fault of a kind queues behind the first.
 */
export class FaultPlan {
  connects: ConnectFault[] = [];
  redirect: RedirectFault | undefined;
  badEncoding = 0;
  tokens: TokenFault[] = [];
  tokenAnswers: TokenAnswerFault[] = [];

  takeConnect(): ConnectFault | undefined {
    return take(this.connects);
  }

  takeToken(): TokenFault | undefined {
    return take(this.tokens);
  }

  takeTokenAnswer(): TokenAnswerFault | undefined {
    return take(this.tokenAnswers);
  }

  /** Whether this connect is redirected (a hop is used up unless the redirect loops). */
  takeRedirect(): RedirectFault | undefined {
    const redirect = this.redirect;
    if (!redirect) return undefined;
    if (!redirect.loop) {
      redirect.hops -= 1;
      if (redirect.hops <= 0) this.redirect = undefined;
    }
    return redirect;
  }

  takeBadEncoding(): boolean {
    if (this.badEncoding <= 0) return false;
    this.badEncoding -= 1;
    return true;
  }

  clear(): void {
    this.connects = [];
    this.redirect = undefined;
    this.badEncoding = 0;
    this.tokens = [];
    this.tokenAnswers = [];
  }

  describe() {
    return {
      nextConnect: this.connects.map((fault) => ({ ...fault })),
      redirect: this.redirect ? { ...this.redirect } : null,
      badEncoding: this.badEncoding,
      token: this.tokens.map((fault) => ({ ...fault })),
      tokenAnswer: this.tokenAnswers.map((fault) => ({ ...fault })),
    };
  }
}

function take<F extends { times: number }>(queue: F[]): F | undefined {
  const first = queue[0];
  if (!first) return undefined;
  first.times -= 1;
  if (first.times <= 0) queue.shift();
  return { ...first };
}
