/**
 * Paths of the worker's API (all under /v1). Both the worker's router and the extension's client
 * build paths from here, so they cannot drift apart.
 */
export const paths = {
  openapi: '/v1/openapi.json',
  installations: '/v1/installations',
  me: '/v1/installations/me',
  /** PUT a user's own NemoVideo API token; DELETE to go back to an anonymous one. */
  apiToken: '/v1/installations/me/token',
  credits: '/v1/credits',
  sessions: '/v1/sessions',
  session: (sessionId: string) => `/v1/sessions/${sessionId}`,
  /** POST; with `Accept: text/event-stream` the answer is the run's SSE (its id in RUN_ID_HEADER). */
  messages: (sessionId: string) => `/v1/sessions/${sessionId}/messages`,
  /** SSE; `Last-Event-ID` (or `?after=`) resumes after that sequence number. */
  runEvents: (sessionId: string, runId: string) => `/v1/sessions/${sessionId}/runs/${runId}/events`,
  /** multipart/form-data with one or more `files` parts, streamed; `Content-Length` required. */
  uploads: (sessionId: string) => `/v1/sessions/${sessionId}/uploads`,
  uploadUrls: (sessionId: string) => `/v1/sessions/${sessionId}/uploads/urls`,
  /** Files over the worker's body limit (up to 500 MB): create, PUT parts, complete. */
  largeUploads: (sessionId: string) => `/v1/sessions/${sessionId}/uploads/large`,
  /** GET which parts are in (to resume), DELETE to abort. */
  largeUpload: (sessionId: string, uploadId: string) =>
    `/v1/sessions/${sessionId}/uploads/large/${uploadId}`,
  /** PUT the raw bytes of part `n` (1-based) with its exact `Content-Length`. */
  largeUploadPart: (sessionId: string, uploadId: string, n: number | string) =>
    `/v1/sessions/${sessionId}/uploads/large/${uploadId}/parts/${n}`,
  /** Assembles the parts and streams the file on to the backend; answers the `UploadResult`. */
  completeLargeUpload: (sessionId: string, uploadId: string) =>
    `/v1/sessions/${sessionId}/uploads/large/${uploadId}/complete`,
  state: (sessionId: string) => `/v1/sessions/${sessionId}/state`,
  /** GET `?url=`: a media file the draft names, streamed for the preview (owner only). */
  media: (sessionId: string) => `/v1/sessions/${sessionId}/media`,
  claim: (sessionId: string) => `/v1/sessions/${sessionId}/claim`,
  createExport: (sessionId: string) => `/v1/sessions/${sessionId}/exports`,
  exports: '/v1/exports',
  exportJob: (jobId: string) => `/v1/exports/${jobId}`,
  cancelExport: (jobId: string) => `/v1/exports/${jobId}/cancel`,
  downloadLink: (jobId: string) => `/v1/exports/${jobId}/download-link`,
  /** The finished MP4: with the installation's Authorization header, or a signed download link. */
  exportFile: (jobId: string) => `/v1/exports/${jobId}/file`,
} as const

/** The header that names the run whose events a streamed `messages` answer carries. */
export const RUN_ID_HEADER = 'X-Run-Id'
