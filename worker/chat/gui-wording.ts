import type { SuggestedAction } from '../../shared/api/chat-events.ts'

/**
 * Rewrites the backend's GUI wording ("Click Export", "打开时间线", "drag the clip…") into what the
 * user can do in PageReel, and lists the actions it pointed at (contract page, "GUI wording"):
 * click -> do it by saying it (Export: the export, Upload: attach files); open / preview in the
 * timeline -> the state summary; drag/drop -> a chat edit; an "Export"/"导出" button -> export.
 *
 * Apply it to whole sentences or complete replies, never to a partial stream chunk: a rule that
 * sees "Click Exp" cannot know it is about Export. Only imperative wording is rewritten (at the
 * start of a sentence, clause or list item, or after "please", "then", "you can"…), so "clickbait",
 * "a single click", "reopen", "drop shadow" and "点击率" stay as they are. The language of the
 * input is kept: each rule is English or Chinese.
 */
export function translateGuiWording(text: string): { text: string; actions: SuggestedAction[] } {
  const actions = new Set<SuggestedAction>()
  let out = text
  for (const rule of RULES) {
    out = out.replace(rule.pattern, (...args: unknown[]) => {
      // replace() passes (match, ...captures, offset, whole, groups?): groups only with named ones.
      const match = args[0] as string
      const named = typeof args.at(-1) === 'object' && args.at(-1) !== undefined
      const groups = (named ? args.at(-1) : {}) as Record<string, string | undefined>
      const offset = args.at(named ? -3 : -2) as number
      const result = rule.rewrite(match, groups, out.slice(offset + match.length))
      if (result === undefined) return match
      if (result.action) actions.add(result.action)
      return /^[A-Z]/.test(match) ? capitalize(result.text) : result.text
    })
  }
  return { text: out, actions: [...actions] }
}

/** A word an English rule's match starts with; longer words that start so count too ("opening"). */
const EN_RULE_WORD =
  /\b(?:click|tap|press|hit|select|choose|use|preview|open|drag|drop|export|download)/i
/** Chinese rules match within a clause, the drag rule from the clause's start. */
const ZH_RULE_WORD = /点|单击|按|打开|时间线|预览|导出|下载|拖/
const CLAUSE = /[^，。！？；,!?;\n]*[，。！？；,!?;\n]?/g
const CJK = /[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]/

/**
 * How much of the start of an unfinished sentence no rule can rewrite, whatever follows: that part
 * reads the same once the sentence is whole and translated, so it may go out before. English rules
 * start at a verb or a button name; a Chinese clause is kept whole from its start when it has a
 * rule's word, or when it is unfinished (one may still come). The caller holds the last word.
 */
export function rewritableFrom(text: string): number {
  const en = text.search(EN_RULE_WORD)
  const end = en < 0 ? text.length : en
  for (const clause of text.matchAll(CLAUSE)) {
    if (clause.index >= end) break
    const finished = /[，。！？；,!?;\n]$/.test(clause[0])
    if (ZH_RULE_WORD.test(clause[0]) || (!finished && CJK.test(clause[0]))) return clause.index
  }
  return end
}

/** The translator, and where in a sentence still arriving it can start to change anything. */
export const guiWording = { translate: translateGuiWording, rewritableFrom }

interface Rewrite {
  text: string
  action?: SuggestedAction
}
interface Rule {
  pattern: RegExp
  /** `undefined` keeps the match as it is. */
  rewrite: (
    match: string,
    groups: Record<string, string | undefined>,
    after: string,
  ) => Rewrite | undefined
}

/** An imperative position: start of a line, sentence or clause, a list item, or after a lead word. */
const IMP =
  String.raw`(?<=^|[.!?:;。！？]\s*|,\s+|^\s*(?:\d+[.)]|[-*•])\s+|` +
  String.raw`\b(?:[Pp]lease|[Tt]hen|and|[Jj]ust|[Ss]imply|[Nn]ow|[Ff]irst|[Nn]ext|[Ff]inally|` +
  String.raw`[Yy]ou can|[Yy]ou may|[Yy]ou could|to|[Ff]eel free to|[Gg]o ahead and)\s+)`
const w = (word: string) => `[${word[0]?.toUpperCase()}${word[0]}]${word.slice(1)}`
const CLICK = `(?:${['click', 'tap', 'press'].map(w).join('|')})`
const PLACE =
  String.raw`(?:\s+(?:at|in|on)\s+the\s+(?:top|bottom|upper|lower)(?:[\s-]+(?:left|right))?` +
  String.raw`(?:\s+corner)?(?:\s+of\s+the\s+(?:screen|page|editor|window|panel))?)?`
const SENTENCE_END = /^\s*(?:[.!?\n]|$)/
const ZH_SENTENCE_END = /^\s*(?:[。！？!?\n]|$)/
const STATUS_EN = `say "status" (I'll summarise the timeline)`
const STATUS_ZH = '说“状态”查看时间线摘要'
/** PageReel's own preview player draws the draft: "preview it in the timeline" points there. */
const PREVIEW_EN = 'watch it in the preview (press Preview)'
const PREVIEW_ZH = '按“预览”观看'
const UPLOAD_EN = `attach your files here (or say "upload")`
const UPLOAD_ZH = '直接发送文件（或说“上传”）'
/** Keys, not buttons: "press Enter" is left alone. */
const KEYS = new Set([
  'enter',
  'return',
  'space',
  'tab',
  'esc',
  'escape',
  'shift',
  'ctrl',
  'cmd',
  'alt',
])

const RULES: Rule[] = [
  {
    // "Click Export", "press the Download button in the top right corner", "use the Export button"
    pattern: re('gm', [
      IMP,
      `(?:${CLICK}|${['hit', 'select', 'choose', 'use'].map(w).join('|')})`,
      String.raw`(?:\s+on)?(?:\s+the)?\s+["“']?(?:[Ee]xport|[Dd]ownload|EXPORT)(?:\s+[Vv]ideo)?\b["”']?`,
      String.raw`(?:\s+(?:button|icon|option))?`,
      PLACE,
    ]),
    rewrite: (_m, _g, after) => ({
      text: `say "export" (or press Export)${SENTENCE_END.test(after) ? " and I'll render it" : ''}`,
      action: 'export',
    }),
  },
  {
    // "preview it in the timeline"
    pattern: re('g', [
      String.raw`\b[Pp]review(?:\s+(?:it|this|that|them|`,
      String.raw`(?:the|your)\s+(?:result|video|changes?|edits?|draft)))?`,
      String.raw`\s+(?:in|on)\s+(?:the\s+)?timeline\b`,
    ]),
    rewrite: () => ({ text: PREVIEW_EN, action: 'preview' }),
  },
  {
    // "Open the timeline", "open the Effects panel"
    pattern: re('gm', [
      IMP,
      w('open'),
      String.raw`(?:\s+up)?(?:\s+(?:the|your))?\s+(?:(?:[A-Z][\w-]*\s+)?(?:panel|tab|menu|view)|`,
      String.raw`timeline|editor|project|preview|draft|tracks?|workspace)\b`,
    ]),
    rewrite: (match) =>
      /preview$/i.test(match)
        ? { text: 'open the preview (press Preview)', action: 'preview' }
        : { text: STATUS_EN, action: 'state' },
  },
  {
    // "Drag the clip to the start", "drag and drop your photos here"
    pattern: re('gm', [
      IMP,
      `(?:${w('drag')}`,
      String.raw`(?:\s*(?:and|&)\s*drop|-and-drop)?|${w('drop')})(?<rest>\s+(?:the|your|it|them|this|that|`,
      String.raw`these|those|a|an|files?|images?|photos?|videos?|media|clips?)\b[^.!?\n]*)`,
    ]),
    rewrite: (_m, g) => {
      const rest = g.rest ?? ''
      if (/\b(?:here|upload\w*)\b/i.test(rest)) return { text: UPLOAD_EN, action: 'upload' }
      return { text: `tell me the change and I'll make it (e.g. "move${rest.trimEnd()}")` }
    },
  },
  {
    // "Click Generate", "tap “Apply”": say the button's name instead
    pattern: new RegExp(
      `${IMP}${CLICK}(?:\\s+on)?(?:\\s+the)?\\s+(?:"(?<q1>[^"\\n]{1,30})"|“(?<q2>[^”\\n]{1,30})”|` +
        `(?<bare>[A-Z][\\w'-]*(?:\\s+[A-Z][\\w'-]*){0,2}))(?:\\s+(?:button|icon|tab|option|menu))?`,
      'gm',
    ),
    rewrite: (_m, g) => {
      const name = (g.q1 ?? g.q2 ?? g.bare ?? '').trim()
      const lower = name.toLowerCase()
      if (!name || KEYS.has(lower)) return undefined
      if (/^(?:upload|import|add media|add files?)\b/.test(lower)) {
        return { text: UPLOAD_EN, action: 'upload' }
      }
      if (/^(?:preview|play)\b/.test(lower)) return { text: 'press Preview', action: 'preview' }
      if (/^timeline\b/.test(lower)) return { text: STATUS_EN, action: 'state' }
      if (/^(?:credits|balance)\b/.test(lower)) return { text: 'say "credits"', action: 'credits' }
      return { text: `say "${lower}"` }
    },
  },
  {
    // Any other mention of the Export button: the extension has one too.
    pattern: /\b(?:Export|Download) button\b/g,
    rewrite: (match) => ({ text: match, action: 'export' }),
  },
  {
    // 点击“导出”按钮、点右上角的导出
    pattern: re('g', [
      '(?:点击|单击|点一下|按下|点|按)(?:一下)?(?:右上角|左上角|右下角|左下角|上方|下方|顶部|底部|页面)?的?',
      String.raw`\s*[“"「『]?(?:导出|下载)(?:视频)?[”"」』]?(?:按钮|键|选项)?`,
    ]),
    rewrite: (_m, _g, after) => ({
      text: `说“导出”（或按导出按钮）${ZH_SENTENCE_END.test(after) ? '，我就会开始渲染' : ''}`,
      action: 'export',
    }),
  },
  {
    // 在时间线中预览效果、预览时间线
    pattern:
      /(?:在时间线(?:中|上|里)?(?:预览|查看)|预览时间线)(?:一下)?(?<what>效果|结果|视频|修改)?/g,
    rewrite: (_m, g) => ({ text: PREVIEW_ZH + (g.what ?? '效果'), action: 'preview' }),
  },
  {
    // 打开预览查看构图: PageReel has a preview; only the instruction changes, the rest stays.
    pattern: /打开(?:一下)?(?:视频)?预览(?:窗口|面板|播放器)?/g,
    rewrite: () => ({ text: '按“预览”按钮打开预览', action: 'preview' }),
  },
  {
    // 打开时间线查看效果: the "查看…" is taken along only when it ends the clause, so a clause
    // going on ("打开时间线查看构图") keeps its own words after a comma.
    pattern: re('g', [
      '打开(?:一下)?(?:右侧的|左侧的|下方的)?(?:时间线|编辑器|项目|面板|轨道|草稿|工作区)(?:面板|窗口|视图)?',
      '(?:(?:查看|看看|预览)(?:一下)?(?:效果|结果|进度)?(?=[，。！？；,.!?;\n]|$))?',
    ]),
    rewrite: (_m, _g, after) => ({
      text: ZH_SENTENCE_END.test(after) || /^[，,；;]/.test(after) ? STATUS_ZH : `${STATUS_ZH}，`,
      action: 'state',
    }),
  },
  {
    // 把片段拖到开头、将图片拖拽到这里上传: the whole clause
    pattern: /[^，。！？；,!?;\n]*?(?:拖拽|拖动|拖放|拖到|拖至|拖入|拖进)[^，。！？；,!?;\n]*/g,
    rewrite: (match) => {
      const clause = match.trim()
      if (/上传|文件|素材|这里/.test(clause)) return { text: UPLOAD_ZH, action: 'upload' }
      const edit = clause
        .replace(/拖拽|拖动|拖放/g, '移动')
        .replace(/拖到|拖至/g, '移到')
        .replace(/拖入|拖进/g, '移入')
      return { text: `告诉我要怎么改，我来完成（例如“${edit}”）` }
    },
  },
  {
    // 点击“生成”、单击应用按钮、点击生成（a bare name ending the clause, in an imperative place)
    pattern: re('g', [
      String.raw`(?<=^|[，。！？；,.!?;:：\s]|请|然后|再|就|可以|并|后|先)`,
      String.raw`(?:点击|单击)(?:一下)?\s*(?:[“"「『](?<q>[^”"」』\n]{1,12})[”"」』]|`,
      String.raw`(?<bare>[\u4e00-\u9fff]{1,6}?)(?=按钮|选项)|`,
      String.raw`(?<verb>[\u4e00-\u9fff]{1,4})(?=[，。！？；,.!?;\n]|$))(?:按钮|选项)?`,
    ]),
    rewrite: (_m, g) => {
      const name = (g.q ?? g.bare ?? g.verb ?? '').trim()
      if (!name) return undefined
      if (/^(?:上传|导入|添加素材)/.test(name)) return { text: UPLOAD_ZH, action: 'upload' }
      if (/^(?:预览|播放)/.test(name)) return { text: '按“预览”', action: 'preview' }
      if (/^时间线/.test(name)) return { text: STATUS_ZH, action: 'state' }
      if (/^(?:积分|余额)/.test(name)) return { text: '说“积分”', action: 'credits' }
      return { text: `说“${name}”` }
    },
  },
  {
    pattern: /导出按钮/g,
    rewrite: (match) => ({ text: match, action: 'export' }),
  },
]

function re(flags: string, parts: readonly string[]): RegExp {
  return new RegExp(parts.join(''), flags)
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1)
}
