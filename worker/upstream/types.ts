/**
 * The upstream client's surface, agreed before it was written so the session, chat and export code
 * could be built against it. `createUpstreamClient(env, tokens)` in ./client.ts implements it; `createUpstream(env,
 * installationId)` (installations/upstream-for.ts) gives one with the installation's token.
 *
 * Every method: sets Authorization and the X-Skill-* headers, renews the token through the
 * installation's single writer (re-auth once on 1001), retries 429 once after
 * UPSTREAM_RETRY_AFTER_MS, and throws `UpstreamError` (worker/errors.ts) with a shared error code
 * for anything else. 1002 is thrown as `session_lost`: the caller owns the session and renews it.
 */
export interface UpstreamSession {
  /** The backend's session id (a numeric string in NemoVideo's docs). */
  upstreamSessionId: string
  taskId?: string
  /** Anonymous user id (`anon_…`), the `?bind=` of the registration link, when the backend says. */
  userId?: string
}

export interface UpstreamUploadFile {
  filename: string
  fileType?: 'video' | 'image' | 'audio'
  cdnUrl?: string
  duration?: number
  width?: number
  height?: number
}

export interface UpstreamRenderStatus {
  status: 'pending' | 'processing' | 'completed' | 'failed' | 'cancelled'
  progress?: number
  outputUrl?: string
  error?: string
  /** The backend's status word when it was none of the known ones (read as `processing`). */
  unknownStatus?: string
}

/**
 * An upload's outcome. When the backend's answer named neither files nor whether it applied them,
 * `files` and `applied` come from the state read after it (`fromState`): what the draft now holds.
 */
export interface UpstreamUploadResult {
  files: UpstreamUploadFile[]
  applied: boolean
  fromState?: boolean
}

/**
 * The token an upstream call uses, and the way to a fresh one. The installation owns its token
 * (installations/token-source.ts implements this); the client only asks.
 */
export interface TokenSource {
  /** A token with more than a day left; renewed through the keeper otherwise. */
  current(): Promise<string>
  /** After a 1001: a token other than `stale`, from the keeper (one backend call at most). */
  renew(stale: string): Promise<string>
  /** Records the backend user id an answer revealed, when it is new. */
  rememberUserId(userId: string): Promise<void>
}

export interface Upstream {
  createSession(language: string): Promise<UpstreamSession>
  /** Opens the chat stream; resolves once the backend answered 200 with an event stream. */
  runSse(upstreamSessionId: string, text: string, signal?: AbortSignal): Promise<Response>
  /** Streams a multipart body through unchanged: same boundary, same Content-Length. */
  uploadMultipart(
    upstreamSessionId: string,
    body: ReadableStream<Uint8Array>,
    contentType: string,
    contentLength: number,
  ): Promise<UpstreamUploadResult>
  /**
   * Sends one stored file as a multipart body of exact length. `open` is called once per attempt,
   * so unlike `uploadMultipart` the call can be replayed after a renewed token.
   */
  uploadFile(
    upstreamSessionId: string,
    file: { filename: string; contentType: string; size: number },
    open: () => Promise<ReadableStream<Uint8Array>>,
  ): Promise<UpstreamUploadResult>
  uploadUrls(upstreamSessionId: string, urls: string[]): Promise<UpstreamUploadResult>
  credits(): Promise<{ available: number; frozen: number; total: number }>
  /** `data.state` of the latest state, plus ids; `draft` is the raw short-key draft. */
  state(upstreamSessionId: string): Promise<{
    draft: unknown
    canvas?: { width: number; height: number; ratio?: string }
    userId?: string
  }>
  submitRender(input: {
    renderId: string
    upstreamSessionId: string
    draft: unknown
  }): Promise<UpstreamRenderStatus>
  renderStatus(renderId: string): Promise<UpstreamRenderStatus>
  cancelRender(renderId: string): Promise<void>
  /** The token-only download fallback, as a streaming Response. */
  downloadRender(renderId: string): Promise<Response>
  claim(input: {
    taskId?: string
    upstreamSessionId: string
  }): Promise<{ claimToken: string; expiresAt?: string }>
}
