import type { ExportPreset } from '../api/exports.ts'

/**
 * Words of the command-like messages the router recognises. A message is a command when it has a
 * verb of exactly one intent and every other word is that intent's vocabulary or a filler; see
 * `routeIntent`. Chinese entries are also the dictionary that splits Chinese text into words.
 */
export interface IntentWords {
  /** Enough on their own: "export", "积分". */
  verbs: readonly string[]
  /** Need one of `objects` too: "send me the video", "把视频发给我". */
  weakVerbs?: readonly string[]
  objects?: readonly string[]
  vocabulary: readonly string[]
}

const PRESET_WORDS: Readonly<Record<ExportPreset, readonly string[]>> = {
  '9:16': [
    '9:16',
    'vertical',
    'portrait',
    'tiktok',
    'reels',
    'shorts',
    '1080x1920',
    '竖屏',
    '竖版',
  ],
  '16:9': ['16:9', 'landscape', 'horizontal', 'widescreen', 'youtube', '1920x1080', '横屏', '横版'],
  '1:1': ['1:1', 'square', '1080x1080', '方形', '正方形'],
}

export const PRESET_BY_WORD: ReadonlyMap<string, ExportPreset> = new Map(
  Object.entries(PRESET_WORDS).flatMap(([preset, words]) =>
    words.map((w) => [w, preset as ExportPreset] as const),
  ),
)

export const FILLERS: readonly string[] = [
  ...['please', 'pls', 'plz', 'can', 'could', 'would', 'will', 'you', 'i', "i'd", "i'll", 'id'],
  ...['want', 'wanna', 'to', 'like', "let's", 'lets', 'let', 'me', 'go', 'ahead', 'and', 'now'],
  ...['just', 'ok', 'okay', 'thanks', 'thank', 'hey', 'hi', 'the', 'a', 'an', 'it', 'my', 'do'],
  ...['how', 'so', 'then', 'yes', 'yeah', 'sure'],
  ...['请', '帮我', '帮忙', '帮', '给我', '我要', '我想', '想', '要', '麻烦', '麻烦你', '一下'],
  ...['吧', '呢', '吗', '好的', '好', '现在', '可以', '能', '能不能', '你', '我', '把', '将'],
  ...['了', '啊', '的', '下', '我的', '来'],
]

export const INTENT_WORDS = {
  export: {
    verbs: ['export', 'download', 'render', '导出', '下载', '渲染'],
    weakVerbs: ['send', 'give', 'get', 'save', '发给我', '发我', '发送', '保存'],
    objects: ['video', 'file', 'mp4', 'movie', 'result', '视频', '成片', '文件'],
    vocabulary: [
      ...['video', 'file', 'mp4', '1080p', '1080', 'hd', 'full', 'final', 'finished', 'movie'],
      ...['clip', 'result', 'format', 'version', 'ratio', 'aspect', 'h.264', 'h264', 'as', 'in'],
      ...['at', 'for', 'this', 'that', 'with', 'quality', 'high', 'out', 'of', 'project', 'again'],
      ...['视频', '成片', '这个', '它', '为', '成', '一个', '一份', '格式', '版本', '高清', '文件'],
      ...['最终', '比例', '出来', '一版', '再'],
      ...PRESET_BY_WORD.keys(),
    ],
  },
  credits: {
    verbs: ['credits', 'credit', 'balance', '积分', '余额', '额度', '点数'],
    vocabulary: [
      ...['many', 'much', 'have', 'left', 'check', 'show', 'what', "what's", 'whats', 'is'],
      ...['are', 'remaining', 'account', 'of', 'current', 'see', 'view', 'any', 'still', 'get'],
      ...[
        '查看',
        '查询',
        '查',
        '还有',
        '还剩',
        '多少',
        '剩余',
        '剩下',
        '看看',
        '显示',
        '账户',
        '有',
      ],
    ],
  },
  state: {
    verbs: [
      ...['status', 'state', 'tracks', 'timeline', 'progress', 'summary'],
      ...['状态', '时间线', '轨道', '进度'],
    ],

    vocabulary: [
      ...['show', 'current', 'project', 'what', "what's", 'whats', 'is', 'on', 'in', 'list'],
      ...['all', 'view', 'see', 'check', 'display', 'get', 'of', 'video', 'draft', 'does', 'look'],
      ...['looks', 'far', "project's", 'the'],
      ...['查看', '看看', '显示', '当前', '目前', '项目', '视频'],
      ...['是', '什么', '怎样', '怎么样', '如何', '有哪些', '列出', '所有', '全部', '草稿'],
    ],
  },
  upload: {
    verbs: ['upload', '上传'],
    vocabulary: [
      ...['file', 'files', 'video', 'videos', 'image', 'images', 'photo', 'photos', 'picture'],
      ...['pictures', 'some', 'this', 'these', 'media', 'clip', 'clips', 'new', 'audio', 'music'],
      ...['song', 'more', 'another'],
      ...['文件', '视频', '图片', '照片', '素材', '音乐', '一些', '几张', '这个', '这些', '一个'],
      ...['新的', '更多'],
    ],
  },
} as const satisfies Record<string, IntentWords>
