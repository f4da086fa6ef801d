/**
 * THE ONE PLACE for where the backend's answers may name a field. Each list is tried in order and
 * the first usable value wins; ../README.md ("The tolerant reader") is the same table in prose,
 * with the containers searched. A shape found later is one more entry here (and a simulator
 * profile, test/simulator/profiles.ts).
 */
export const KEYS = {
  ids: {
    session: ['session_id', 'sessionId', 'sid', 'session.id', 'session.session_id', 'session.sessionId'],
    task: ['task_id', 'taskId', 'task.id', 'task.task_id', 'task.taskId'],
    /** The anonymous user id, the `?bind=` of the register link. */
    bind: [
      'user_id',
      'userId',
      'bind_id',
      'bindId',
      'anon_id',
      'anonId',
      'anon_user_id',
      'anonymous_id',
      'anonymousId',
      'anonymous_user_id',
      'uid',
      'user.id',
      'user.user_id',
      'user.userId',
      'user.bind_id',
      'user.anon_id',
    ],
    token: ['token', 'access_token', 'accessToken', 'nemo_token', 'nemoToken', 'api_token'],
  },
  render: {
    status: ['status', 'state', 'render_status', 'renderStatus', 'task_status', 'taskStatus', 'phase'],
    progress: ['progress', 'percent', 'percentage', 'progress_percent', 'progressPercent', 'pct', 'progress.percent', 'progress.value'],
    url: [
      'outputUrl',
      'output_url',
      'output.url',
      'output.download_url',
      'output.downloadUrl',
      'output.video_url',
      'downloadUrl',
      'download_url',
      'video_url',
      'videoUrl',
      'file_url',
      'fileUrl',
      'result_url',
      'resultUrl',
      'result.url',
      'result.download_url',
      'result.video_url',
      'video.url',
      'file.url',
      'url',
      'output',
      'result',
      'files.0.url',
      'outputs.0.url',
      'urls.0',
    ],
    error: ['error', 'error_message', 'errorMessage', 'err_msg', 'reason', 'fail_reason', 'failReason', 'failure_reason', 'message', 'msg'],
    /** Nested records the fields may sit in, under `data` or at the top. */
    nests: ['render', 'task', 'job'],
  },
  upload: {
    /** Lists of files; the container itself may be the list. */
    lists: ['files', 'media', 'items', 'uploads', 'uploaded', 'results', 'assets', 'list', 'file_list', 'fileList', 'videos', 'media_list'],
    /** A single uploaded file. */
    single: ['file', 'media', 'item', 'asset'],
    applied: ['session_state_applied', 'sessionStateApplied', 'state_applied', 'stateApplied', 'applied', 'added', 'draft_updated'],
    file: {
      name: ['filename', 'file_name', 'fileName', 'name', 'original_name', 'originalName', 'original_filename', 'title'],
      type: ['file_type', 'fileType', 'media_type', 'mediaType', 'type', 'kind', 'mime_type', 'mimeType', 'mime', 'content_type'],
      url: ['cdn_url', 'cdnUrl', 'url', 'file_url', 'fileUrl', 'download_url', 'src', 'source', 'uri'],
      durationSec: ['duration', 'duration_sec', 'durationSec', 'duration_s', 'length'],
      durationMs: ['duration_ms', 'durationMs'],
      width: ['width', 'w'],
      height: ['height', 'h'],
    },
  },
  state: {
    draft: ['state.draft', 'draft', 'state.project.draft'],
    canvas: ['state.canvas_config', 'state.canvasConfig', 'canvas_config', 'canvasConfig', 'state.canvas', 'canvas'],
  },
} as const

/** Render status words (lower case, spaces and dashes as `_`); any other word is in progress. */
export const RENDER_STATUS_WORDS = {
  pending: ['pending', 'queued', 'queue', 'in_queue', 'waiting', 'submitted', 'created', 'accepted', 'scheduled', 'new', 'init', 'initializing', 'not_started'],
  processing: ['processing', 'rendering', 'running', 'in_progress', 'inprogress', 'progress', 'encoding', 'working', 'started', 'active', 'generating', 'uploading', 'finalizing'],
  completed: ['completed', 'complete', 'done', 'success', 'succeeded', 'successful', 'finished', 'finish', 'ready', 'ok'],
  failed: ['failed', 'failure', 'fail', 'error', 'errored', 'timeout', 'timed_out', 'expired', 'rejected', 'aborted'],
  cancelled: ['cancelled', 'canceled', 'cancel'],
} as const
