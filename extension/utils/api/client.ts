import type { z } from 'zod/mini'
import {
  ClaimLink,
  Credits,
  DownloadLink,
  ExportJob,
  ExportJobList,
  InstallationCreated,
  InstallationInfo,
  ProjectState,
  SessionInfo,
  UploadResult,
  paths,
  type CreateExportRequest,
  type SendMessageRequest,
} from '../../../shared/api/index.ts'
import { requestJson, resolveBaseUrl, type WorkerClientOptions } from './http.ts'
// The stream reader (with its SSE parser) and the uploaders load on first use: a popup paints
// before it needs them (issue 14's budget on what the popup loads first).
import type { StreamBackoff, StreamRunOptions } from './sse.ts'
import type { UploadOptions } from './upload.ts'
import type { LargeUploadOptions } from './upload-large.ts'
import type { UploadFile } from './upload-check.ts'

/** The chat's stream module: sending a message and following a run. */
const stream = () => import('./sse.ts')

/**
 * The typed client of the PageReel worker: one method per route of `shared/api/routes.ts`, every
 * answer parsed with its shared schema. Failures throw `ApiRequestError` (the worker's envelope,
 * or `source: 'unreachable'` when no answer came at all).
 * @example
 * const api = createWorkerClient({ baseUrl: 'http://127.0.0.1:8787', getKey })
 * const { runId, events } = await api.sendMessage(sessionId, { text, clientMessageId })
 */
export function createWorkerClient(opts: WorkerClientOptions & { streamBackoff?: StreamBackoff }) {
  const call = <S extends z.core.$ZodType>(
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    path: string,
    schema: S,
    body?: unknown,
  ) => requestJson(opts, { method, path, body }, schema)
  const send = (method: 'PUT' | 'DELETE', path: string, body?: unknown) =>
    requestJson(opts, { method, path, body }, null)

  return {
    /** Creates an installation; the only call without a key. */
    register: (language: string) =>
      requestJson(
        opts,
        { method: 'POST', path: paths.installations, body: { language }, anonymous: true },
        InstallationCreated,
      ),
    getInstallation: () => call('GET', paths.me, InstallationInfo),
    deleteInstallation: () => send('DELETE', paths.me),
    /** Sends the user's own NemoVideo API token once; the worker never returns it. */
    setApiToken: (token: string) => send('PUT', paths.apiToken, { token }),
    removeApiToken: () => send('DELETE', paths.apiToken),
    getCredits: () => call('GET', paths.credits, Credits),
    createSession: (language: string) => call('POST', paths.sessions, SessionInfo, { language }),
    getSession: (sessionId: string) => call('GET', paths.session(sessionId), SessionInfo),
    /** The run id, with the reply's events already open when the worker streams them. */
    sendMessage: async (sessionId: string, body: SendMessageRequest) =>
      (await stream()).sendMessage(opts, sessionId, body),
    streamRun: async (sessionId: string, runId: string, options: StreamRunOptions) =>
      (await stream()).streamRun(opts, sessionId, runId, options, opts.streamBackoff),
    uploadFiles: async (
      sessionId: string,
      files: readonly UploadFile[],
      options?: UploadOptions,
    ) => {
      const { uploadFiles } = await import('./upload.ts')
      return uploadFiles(opts, sessionId, files, options)
    },
    /** One file over the single-request limit (up to 500 MB), in parts through R2, resumable. */
    uploadLargeFile: async (sessionId: string, file: UploadFile, options?: LargeUploadOptions) => {
      const { uploadLargeFile } = await import('./upload-large.ts')
      return uploadLargeFile(opts, sessionId, file, options)
    },
    uploadUrls: (sessionId: string, urls: string[]) =>
      call('POST', paths.uploadUrls(sessionId), UploadResult, { urls }),
    /** The summary comes in `lang` (the UI's language), so a Chinese UI reads a Chinese summary. */
    getState: (sessionId: string, lang?: 'en' | 'zh') =>
      call(
        'GET',
        lang ? `${paths.state(sessionId)}?lang=${lang}` : paths.state(sessionId),
        ProjectState,
      ),
    claim: (sessionId: string) => call('POST', paths.claim(sessionId), ClaimLink),
    createExport: (sessionId: string, body: CreateExportRequest) =>
      call('POST', paths.createExport(sessionId), ExportJob, body),
    listExports: () => call('GET', paths.exports, ExportJobList),
    getExport: (jobId: string) => call('GET', paths.exportJob(jobId), ExportJob),
    cancelExport: (jobId: string) => call('POST', paths.cancelExport(jobId), ExportJob),
    downloadLink: (jobId: string) => call('POST', paths.downloadLink(jobId), DownloadLink),
    /** Absolute URL of a worker path (e.g. a job's `fileUrl`). */
    url: async (path: string) => (await resolveBaseUrl(opts)) + path,
  }
}

export type WorkerClient = ReturnType<typeof createWorkerClient>
