/** The extension's client of the PageReel worker. */
export { createWorkerClient, type WorkerClient } from './client.ts'
export {
  ApiRequestError,
  clientError,
  isUnreachable,
  unreachable,
  type FailureSource,
} from './errors.ts'
export type { KeyRequest, WorkerClientOptions } from './http.ts'
export type { RunStreamEvent, StreamRunOptions, StreamBackoff } from './sse.ts'
export type { UploadOptions } from './upload.ts'
export type { LargeUploadOptions } from './upload-large.ts'
export { prepareUploadFiles, type UploadFile } from './upload-check.ts'
