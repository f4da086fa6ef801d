import type { ApiError, ErrorAction, ErrorCode } from './codes.ts'
import {
  BACKEND_MAX_FILE_BYTES,
  DEFAULT_WORKER_UPLOAD_LIMIT_BYTES,
  MEDIA_FORMATS,
} from '../media.ts'
import { fillTemplate, type Lang, type Localized } from '../i18n/index.ts'

export interface ErrorTemplate extends Localized {
  status: number
}

/**
 * Status and user message of every error code. Placeholders, filled by `describeError`:
 * `{limit}` (params.limitBytes as MB), `{formats}` (the supported formats), `{wait}` ("in 30
 * seconds" from params.afterMs, "in a moment" without), `{issues}` (the request's issues), `{next}`
 * (what a user with this kind of token does next).
 * 402-class messages never speak of credits: a blocked export is a plan problem (contract, 402).
 */
export const ERROR_TABLE: Readonly<Record<ErrorCode, ErrorTemplate>> = {
  token_expired: {
    status: 502,
    en: 'Could not renew access to NemoVideo. Please try again.',
    zh: '无法续期 NemoVideo 的访问凭证，请重试。',
  },
  session_lost: {
    status: 409,
    en: 'The editing session was lost on the NemoVideo side. Start a new session to continue.',
    zh: 'NemoVideo 端的编辑会话已丢失，请新建会话后继续。',
  },
  no_credits: {
    status: 402,
    en: 'You have run out of credits. {next}',
    zh: '你的积分已用完。{next}',
  },
  unsupported_format: {
    status: 415,
    en: 'This file type is not supported. Supported formats: {formats}.',
    zh: '不支持此文件类型。支持的格式：{formats}。',
  },
  file_too_large: {
    status: 413,
    en: 'This file is too large (the limit is {limit}). Compress or trim it, then try again.',
    zh: '文件太大（上限为 {limit}）。请压缩或剪短后重试。',
  },
  missing_client_id: {
    status: 502,
    en: 'NemoVideo did not accept the connection setup. Please try again.',
    zh: 'NemoVideo 未接受连接设置，请重试。',
  },
  plan_required: {
    status: 403,
    en: 'Register or upgrade your plan to unlock export.',
    zh: '注册或升级套餐即可解锁导出。',
  },
  upstream_rate_limited: {
    status: 429,
    en: 'NemoVideo is busy right now. Try again {wait}.',
    zh: 'NemoVideo 当前繁忙，请{wait}重试。',
  },
  registration_capped: {
    status: 429,
    en:
      'NemoVideo is not giving out more free accounts from this network right now. ' +
      'Set your own NemoVideo API token in the options to continue.',
    zh: 'NemoVideo 暂时不再向此网络发放免费账号。请在选项中设置你自己的 NemoVideo API 令牌后继续。',
  },
  upstream_unavailable: {
    status: 502,
    en: 'NemoVideo is not reachable right now. Please try again.',
    zh: '暂时无法连接 NemoVideo，请重试。',
  },
  upstream_timeout: {
    status: 504,
    en: 'NemoVideo did not answer in time. Please try again.',
    zh: 'NemoVideo 未及时响应，请重试。',
  },
  stream_dropped: {
    status: 502,
    en:
      'The connection dropped before the reply finished. ' +
      'Your edit may still have been applied: check the timeline before sending it again.',
    zh: '回复完成前连接中断。你的修改可能已经生效，再次发送前请先查看时间线。',
  },
  render_failed: {
    status: 502,
    en: 'The video could not be rendered. Try exporting again.',
    zh: '视频渲染失败，请重新导出。',
  },
  export_file_missing: {
    status: 502,
    en: 'NemoVideo finished the video, but its file could not be fetched. Try exporting again.',
    zh: 'NemoVideo 已完成视频，但无法获取视频文件。请重新导出。',
  },
  claim_unavailable: {
    status: 404,
    en: 'NemoVideo has no project to open for this session yet. Make an edit first, then try again.',
    zh: 'NemoVideo 暂时没有可打开的项目。请先编辑一次，然后重试。',
  },
  invalid_request: {
    status: 400,
    en: 'The request is not valid: {issues}.',
    zh: '请求无效：{issues}。',
  },
  unauthorized: {
    status: 401,
    en: 'This browser is not recognised by PageReel. Reinstall or reset the extension to continue.',
    zh: 'PageReel 无法识别此浏览器。请重新安装或重置扩展后继续。',
  },
  not_found: {
    status: 404,
    en: 'This item does not exist or belongs to someone else.',
    zh: '该项目不存在，或属于其他用户。',
  },
  run_in_progress: {
    status: 409,
    en: 'Still working on your previous message. Wait for it to finish before sending another.',
    zh: '上一条消息仍在处理中，请等它完成后再发送。',
  },
  not_exportable: {
    status: 409,
    en: 'There is nothing to export yet: the timeline is empty.',
    zh: '暂时没有可导出的内容：时间线为空。',
  },
  upload_too_large: {
    status: 413,
    en: 'This upload is larger than the {limit} limit. Compress or trim it, then try again.',
    zh: '上传内容超过 {limit} 的上限。请压缩或剪短后重试。',
  },
  length_required: {
    status: 411,
    en: 'The upload did not state its size. Please try again.',
    zh: '上传请求未注明大小，请重试。',
  },
  url_not_allowed: {
    status: 400,
    en: 'Only public http(s) links can be imported.',
    zh: '只能导入公开的 http(s) 链接。',
  },
  invalid_api_token: {
    status: 400,
    en:
      'NemoVideo refused this API token. ' +
      'Check it in your NemoVideo account settings and set it again in the options.',
    zh: 'NemoVideo 拒绝了此 API 令牌。请在 NemoVideo 账户设置中检查后，在选项中重新设置。',
  },
  rate_limited: {
    status: 429,
    en: 'Too many requests. Try again {wait}.',
    zh: '请求过于频繁，请{wait}重试。',
  },
  body_too_large: {
    status: 413,
    en: 'This request is too large for PageReel. Please try again with less content.',
    zh: '此请求对 PageReel 来说过大，请减少内容后重试。',
  },
  registration_code_required: {
    status: 403,
    en: 'This PageReel server is private. Enter its registration code in the PageReel options to continue.',
    zh: '此 PageReel 服务器为私有部署。请在 PageReel 选项中输入它的注册码后继续。',
  },
  human_check_failed: {
    status: 403,
    en: 'PageReel could not confirm that a person is setting it up. Please try again.',
    zh: 'PageReel 无法确认是真人在进行设置，请重试。',
  },
  upload_stalled: {
    status: 408,
    en: 'The upload stopped sending data. Check your connection, then try again.',
    zh: '上传已停止传输数据。请检查网络连接后重试。',
  },
  too_many_uploads: {
    status: 429,
    en: 'Too many uploads are running for this browser. Wait for one to finish, then try again.',
    zh: '此浏览器正在进行的上传过多。请等待其中一个完成后重试。',
  },
  origin_forbidden: {
    status: 403,
    en: 'Requests from this origin are not allowed.',
    zh: '不允许来自此来源的请求。',
  },
  job_cancelled: {
    status: 409,
    en: 'This export was cancelled.',
    zh: '此导出已取消。',
  },
  job_not_finished: {
    status: 409,
    en: 'This export is not finished yet.',
    zh: '此导出尚未完成。',
  },
  media_not_allowed: {
    status: 403,
    en:
      'PageReel fetches only the media files this project’s draft names, from public hosts or ' +
      'NemoVideo itself. This one is not among them.',
    zh: 'PageReel 只获取本项目草稿中引用的、来自公开网站或 NemoVideo 本身的媒体文件，此文件不在其列。',
  },
  media_too_large: {
    status: 413,
    en: 'This media file is too large for the preview (the limit is {limit}).',
    zh: '此媒体文件太大，无法预览（上限为 {limit}）。',
  },
  media_unsupported_type: {
    status: 415,
    en: 'This link does not lead to a picture, video or sound the preview can play.',
    zh: '此链接指向的不是预览可以播放的图片、视频或音频。',
  },
  media_fetch_failed: {
    status: 502,
    en: 'The media file could not be fetched from where it is stored. Please try again later.',
    zh: '无法从存放位置获取此媒体文件，请稍后重试。',
  },
  media_timeout: {
    status: 504,
    en: 'The host of this media file did not answer in time. Please try again.',
    zh: '此媒体文件所在的服务器未及时响应，请重试。',
  },
  internal: {
    status: 500,
    en: 'Something went wrong on our side. Please try again.',
    zh: '服务出现问题，请重试。',
  },
}

/** NemoVideo's own default 429 back-off (contract: "retry once after 30 s"). */
const UPSTREAM_RETRY_AFTER_MS = 30_000
export const DEFAULT_WEB_BASE_URL = 'https://nemovideo.com'
/** Assumption: NemoVideo documents no top-up or upgrade page; its pricing page serves both. */
const TOP_UP_PATH = '/pricing'
const UPGRADE_PATH = '/pricing'

export interface ErrorContext {
  params?: ApiError['params']
  issues?: ApiError['issues']
  /** Whose token hit the error. Unknown counts as anonymous, the default kind of token. */
  tokenKind?: 'anonymous' | 'user'
  webBaseUrl?: string
  /** The anonymous user id (`anon_…`) for the registration link's `?bind=`. */
  bindId?: string
  /** An action decided by the thrower; it replaces the table's. */
  action?: ErrorAction
}

export interface DescribedError {
  status: number
  message: Localized
  action?: ErrorAction
  /** A second way out, e.g. setting one's own API token instead of registering. */
  alternative?: ErrorAction
}

/** Status, message in both languages and the action(s) of an error code. */
export function describeError(code: ErrorCode, ctx: ErrorContext = {}): DescribedError {
  const entry = ERROR_TABLE[code]
  const message = {
    en: fillTemplate(entry.en, valuesFor(code, ctx, 'en')),
    zh: fillTemplate(entry.zh, valuesFor(code, ctx, 'zh')),
  }
  const [action, alternative] = ctx.action ? [ctx.action] : actionsFor(code, ctx)
  return {
    status: entry.status,
    message,
    ...(action && { action }),
    ...(alternative && { alternative }),
  }
}

/** The `ApiError` envelope of a code: English message, action and the params it was built from. */
export function toApiError(code: ErrorCode, ctx: ErrorContext = {}): ApiError {
  const { message, action } = describeError(code, ctx)
  return {
    code,
    message: message.en,
    ...(action && { action }),
    ...(ctx.params && { params: ctx.params }),
    ...(ctx.issues?.length && { issues: ctx.issues }),
  }
}

/** Bytes as "100 MB" (binary MB, at most one decimal). */
export function formatMegabytes(bytes: number): string {
  return `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB`
}

function valuesFor(code: ErrorCode, ctx: ErrorContext, lang: Lang): Record<string, string> {
  const defaultLimit =
    code === 'file_too_large' ? BACKEND_MAX_FILE_BYTES : DEFAULT_WORKER_UPLOAD_LIMIT_BYTES
  const limitBytes = numberParam(ctx, 'limitBytes') ?? defaultLimit
  const afterMs = retryAfterMs(code, ctx)
  const seconds = afterMs === undefined ? undefined : Math.ceil(afterMs / 1000)
  const issues = (ctx.issues ?? [])
    .map((i) => (i.path ? `${i.path}: ${i.message}` : i.message))
    .join('; ')
  const en = lang === 'en'
  const anonymous = ctx.tokenKind !== 'user'
  return {
    limit: formatMegabytes(limitBytes),
    formats: MEDIA_FORMATS.join(', '),
    wait:
      seconds === undefined
        ? en
          ? 'in a moment'
          : '稍后'
        : en
          ? `in ${seconds} seconds`
          : `${seconds} 秒后`,
    issues: issues || (en ? 'it does not match the API' : '与接口定义不符'),
    next: anonymous
      ? en
        ? 'Register a free NemoVideo account to get more.'
        : '注册免费的 NemoVideo 账号即可获得更多积分。'
      : en
        ? 'Top up credits in your account.'
        : '请在你的账户中充值积分。',
  }
}

function actionsFor(code: ErrorCode, ctx: ErrorContext): ErrorAction[] {
  const web = (ctx.webBaseUrl ?? DEFAULT_WEB_BASE_URL).replace(/\/+$/, '')
  const register: ErrorAction = {
    kind: 'register',
    url: ctx.bindId ? `${web}/register?bind=${encodeURIComponent(ctx.bindId)}` : `${web}/register`,
  }
  const isUser = ctx.tokenKind === 'user'
  switch (code) {
    case 'unsupported_format':
      return [{ kind: 'formats', formats: [...MEDIA_FORMATS] }]
    case 'file_too_large':
    case 'upload_too_large':
      return [{ kind: 'compress' }]
    case 'no_credits':
      // Free credits end: register (the bind link keeps the project) or bring one's own token.
      return isUser
        ? [{ kind: 'top_up', url: web + TOP_UP_PATH }]
        : [register, { kind: 'set_api_token' }]
    case 'plan_required':
      if (isUser) return [{ kind: 'upgrade', url: web + UPGRADE_PATH }]
      return [register, { kind: 'set_api_token' }]
    case 'registration_capped':
    case 'invalid_api_token':
      return [{ kind: 'set_api_token' }]
    case 'session_lost':
      return [{ kind: 'new_session' }]
    case 'unauthorized':
      return [{ kind: 'reinstall' }]
    case 'rate_limited':
    case 'too_many_uploads':
    case 'upstream_rate_limited': {
      const afterMs = retryAfterMs(code, ctx)
      return [{ kind: 'retry', ...(afterMs !== undefined && { afterMs }) }]
    }
    case 'token_expired':
    case 'missing_client_id':
    case 'upstream_unavailable':
    case 'upstream_timeout':
    case 'render_failed':
    case 'export_file_missing':
    case 'length_required':
    case 'human_check_failed':
    case 'upload_stalled':
    case 'media_fetch_failed':
    case 'media_timeout':
    case 'internal':
      return [{ kind: 'retry' }]
    default:
      return []
  }
}

function retryAfterMs(code: ErrorCode, ctx: ErrorContext): number | undefined {
  const given = numberParam(ctx, 'afterMs')
  if (given !== undefined) return Math.max(0, Math.round(given))
  return code === 'upstream_rate_limited' ? UPSTREAM_RETRY_AFTER_MS : undefined
}

function numberParam(ctx: ErrorContext, name: string): number | undefined {
  const value = ctx.params?.[name]
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined
}
export { upstreamCodeToErrorCode } from './upstream-codes.ts'
