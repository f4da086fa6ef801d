import {
  ASPECTS,
  generateVideo,
  hasSegments,
  removeMusic,
  setAspect,
  setMusic,
  setTitle,
  shorten,
  type Aspect,
} from './draft.ts'
import type { SessionRecord } from './state.ts'

/** One step of a scripted turn; `tool` steps really change the session's draft when they run. */
export type Step =
  | { type: 'work'; ms: number }
  /** Evaluated when the step runs, so it can speak of what the tools just did. */
  | { type: 'text'; text: () => string }
  | {
      type: 'tool'
      name: string
      args: Record<string, unknown>
      run: () => Record<string, unknown>
    }

export interface TurnPlan {
  kind: 'generate' | 'edit' | 'reply'
  /** Credits the turn costs. */
  cost: number
  steps: Step[]
}

const CJK = /[\u3400-\u9fff]/

/** Replies in Chinese when the prompt has Chinese in it or the session's language is Chinese. */
export function wantsChinese(session: SessionRecord, prompt: string): boolean {
  return CJK.test(prompt) || session.language.toLowerCase().startsWith('zh')
}

const GENERATE =
  /\b(make|create|generate|turn|produce)\b.*\b(video|clip|promo|reel|movie)\b|^generate\b|生成|制作|做.{0,3}视频/i
const TITLE =
  /(?:change|set|rename)\s+the\s+title\s+to\s+["“']?(.+?)["”']?\s*$|标题(?:改成|改为|换成)\s*[“"「]?(.+?)[”"」]?\s*$/i
const ADD_MUSIC = /\badd\b.*\b(music|bgm|song|soundtrack)\b|(加|添加|换).{0,4}(音乐|配乐|BGM)/i
const REMOVE_MUSIC =
  /\b(remove|delete|drop|mute)\b.*\b(music|bgm|audio|song)\b|(去掉|删除|删掉).{0,4}(音乐|配乐|BGM)/i
const SHORTER = /\b(shorter|shorten|trim|cut it down)\b|(缩短|短一点|剪短)/i
const ASPECT: ReadonlyArray<[RegExp, Aspect]> = [
  [/9:16|vertical|portrait|竖屏/i, '9:16'],
  [/16:9|landscape|horizontal|横屏/i, '16:9'],
  [/1:1|square|方形|正方/i, '1:1'],
]

const secs = (ms: number) => `${Math.round(ms / 100) / 10}s`

/**
 * Scripts a turn from the prompt and the session's draft: a generation (two stages, 100-300 s),
 * an edit (10-30 s) or a plain reply (5-15 s). Durations are before timeScale.
 */
export function planTurn(
  session: SessionRecord,
  prompt: string,
  costs: { generate: number; edit: number },
): TurnPlan {
  const { rng, draft } = session
  const zh = wantsChinese(session, prompt)
  const say = (en: string, cn: string) => (zh ? cn : en)

  if (GENERATE.test(prompt)) {
    const total = rng.int(100_000, 300_000)
    const stageOne = Math.round(total * 0.6)
    let song = ''
    let title = ''
    const quoted = /["“「](.+?)["”」]/.exec(prompt)?.[1]
    return {
      kind: 'generate',
      cost: costs.generate,
      steps: [
        {
          type: 'text',
          text: () => say('Got it! Generating your video now.', '好的！正在为你生成视频。'),
        },
        { type: 'work', ms: stageOne },
        {
          type: 'tool',
          name: 'generate_video',
          args: { prompt, media_count: session.media.length },
          run: () => {
            generateVideo(draft, session.media, rng)
            session.generated.push({ kind: 'video', at: Date.now(), prompt })
            return { ok: true, duration_ms: draft.d }
          },
        },
        { type: 'work', ms: total - stageOne },
        {
          type: 'tool',
          name: 'add_bgm',
          args: { style: 'auto' },
          run: () => ({ ok: true, song: (song = setMusic(draft, rng)) }),
        },
        {
          type: 'tool',
          name: 'add_title',
          args: { text: quoted ?? null },
          run: () => ({ ok: true, title: (title = setTitle(draft, rng, quoted)) }),
        },
        {
          type: 'text',
          text: () =>
            say(
              `Your video is ready ✨ ${secs(draft.d)} long, with ${song} as background music and the title "${title}". Preview it in the timeline, then click Export to download the MP4.`,
              `视频已生成！时长 ${secs(draft.d)}，背景音乐是 ${song}，标题为“${title}”。可以在时间线中预览，然后点击导出下载 MP4。`,
            ),
        },
      ],
    }
  }

  const edit = (
    name: string,
    args: Record<string, unknown>,
    run: () => Record<string, unknown>,
    text: () => string,
  ): TurnPlan => ({
    kind: 'edit',
    cost: session.editCharged ? 0 : costs.edit,
    steps: [
      { type: 'work', ms: rng.int(5_000, 15_000) },
      { type: 'tool', name, args, run },
      { type: 'work', ms: rng.int(5_000, 15_000) },
      { type: 'text', text },
    ],
  })
  const isEdit =
    TITLE.test(prompt) ||
    ADD_MUSIC.test(prompt) ||
    REMOVE_MUSIC.test(prompt) ||
    SHORTER.test(prompt) ||
    ASPECT.some(([re]) => re.test(prompt))
  if (isEdit && !hasSegments(draft)) {
    return reply(
      rng.int(5_000, 15_000),
      say(
        'There is nothing on the timeline yet. Upload some media or ask me to make a video first.',
        '时间线上还没有内容。请先上传素材，或者让我先生成一个视频。',
      ),
    )
  }
  const title = TITLE.exec(prompt)
  if (title) {
    const text = (title[1] ?? title[2] ?? '').trim()
    return edit(
      'update_title',
      { text },
      () => ({ ok: true, title: setTitle(draft, rng, text) }),
      () => say(`Done: the title now reads "${text}".`, `已完成：标题已改为“${text}”。`),
    )
  }
  if (REMOVE_MUSIC.test(prompt)) {
    return edit(
      'remove_track',
      { track_type: 1 },
      () => ({ ok: true, removed: removeMusic(draft) }),
      () => say('I removed the background music.', '已删除背景音乐。'),
    )
  }
  if (ADD_MUSIC.test(prompt)) {
    let song = ''
    return edit(
      'add_bgm',
      { style: 'auto' },
      () => ({ ok: true, song: (song = setMusic(draft, rng)) }),
      () =>
        say(
          `Added ${song} as background music at 35% volume.`,
          `已添加背景音乐 ${song}，音量 35%。`,
        ),
    )
  }
  if (SHORTER.test(prompt)) {
    let change = { fromMs: 0, toMs: 0 }
    return edit(
      'trim_timeline',
      { factor: 0.5 },
      () => ({ ok: true, ...(change = shorten(draft)) }),
      () =>
        say(
          `Trimmed the video from ${secs(change.fromMs)} to ${secs(change.toMs)} ✂️`,
          `已将视频从 ${secs(change.fromMs)} 缩短到 ${secs(change.toMs)}。`,
        ),
    )
  }
  const aspect = ASPECT.find(([re]) => re.test(prompt))?.[1]
  if (aspect) {
    return edit(
      'set_canvas',
      { ratio: aspect, ...ASPECTS[aspect] },
      () => (setAspect(draft, aspect), { ok: true, ratio: aspect }),
      () =>
        say(
          `Switched the canvas to ${aspect}. Open the preview to check the framing.`,
          `画布已切换为 ${aspect}。打开预览查看构图。`,
        ),
    )
  }
  return reply(
    rng.int(5_000, 15_000),
    rng.pick([
      say(
        'I can turn your images and clips into a video. Open the media panel and drag your files onto the timeline, or just tell me what to make.',
        '我可以把你的图片和片段做成视频。打开素材面板，把文件拖拽到时间线上，或者直接告诉我想做什么。',
      ),
      say(
        'Happy to help! Tell me the mood, length and aspect ratio you want, and click Generate when you are ready.',
        '很乐意帮忙！告诉我你想要的风格、时长和画面比例，准备好后点击生成。',
      ),
    ]),
  )
}

function reply(ms: number, text: string): TurnPlan {
  return {
    kind: 'reply',
    cost: 0,
    steps: [
      { type: 'work', ms },
      { type: 'text', text: () => text },
    ],
  }
}

export const TEMPORARY_ISSUE = {
  en: 'I encountered a temporary issue. Please try again in a moment.',
  zh: '我遇到了一个临时问题，请稍后再试。',
}
