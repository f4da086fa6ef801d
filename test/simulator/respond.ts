/** The backend's answer envelopes: `{code, message, data}` (0 = success) and its error statuses. */
export const HTTP_STATUS_OF_CODE: Readonly<Record<number, number>> = {
  1001: 401,
  1002: 404,
  2001: 402,
  4001: 400,
  4002: 413,
  400: 400,
  402: 402,
  429: 429,
}

const MESSAGES: Readonly<Record<number, string>> = {
  1001: 'Invalid or expired token',
  1002: 'Session not found',
  2001: 'Insufficient credits',
  4001: 'Unsupported file type',
  4002: 'File too large',
  400: 'Missing X-Client-Id header',
  402: 'Free plan export blocked: register or upgrade your plan',
  429: 'Rate limit exceeded',
}

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8' }

export function ok(data: unknown, extra: Record<string, unknown> = {}): Response {
  return Response.json({ code: 0, message: 'success', data, ...extra }, { headers: JSON_HEADERS })
}

export function fail(
  code: number,
  message = MESSAGES[code] ?? 'Error',
  extra: Record<string, unknown> = {},
): Response {
  return Response.json(
    { code, message, data: null, ...extra },
    { status: HTTP_STATUS_OF_CODE[code] ?? 500, headers: JSON_HEADERS },
  )
}

/** Render endpoints answer `{success, data}` / `{success:false, error}` instead. */
export function renderOk(body: Record<string, unknown>): Response {
  return Response.json({ success: true, ...body }, { headers: JSON_HEADERS })
}

export function renderFail(status: number, error: string, code?: number): Response {
  return Response.json(
    { success: false, error, ...(code ? { code } : {}) },
    { status, headers: JSON_HEADERS },
  )
}

export const sleep = (ms: number) =>
  new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, ms)))
