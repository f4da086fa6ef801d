import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { guiWording, rewritableFrom, translateGuiWording } from '../../worker/chat/gui-wording.ts'
import { ReplyText } from '../../worker/chat/reply-text.ts'
import type { SuggestedAction } from '../../shared/api/chat-events.ts'

type Case = [input: string, text: string, actions: SuggestedAction[]]

const english: Case[] = [
  ['Click Export.', `Say "export" (or press Export) and I'll render it.`, ['export']],
  ['Click Export', `Say "export" (or press Export) and I'll render it`, ['export']],
  [
    'Your video is ready! Click the Export button in the top right corner to download it.',
    `Your video is ready! Say "export" (or press Export) to download it.`,
    ['export'],
  ],
  [
    'When you are happy, simply click on "Download" to get your MP4.',
    `When you are happy, simply say "export" (or press Export) to get your MP4.`,
    ['export'],
  ],
  [
    'You can preview it in the timeline.',
    'You can watch it in the preview (press Preview).',
    ['preview'],
  ],
  [
    'Preview the result in the timeline before exporting.',
    'Watch it in the preview (press Preview) before exporting.',
    ['preview'],
  ],
  [
    'Open the timeline to review your edits.',
    `Say "status" (I'll summarise the timeline) to review your edits.`,
    ['state'],
  ],
  [
    'Drag the music clip to start at 0:05.',
    `Tell me the change and I'll make it (e.g. "move the music clip to start at 0:05").`,
    [],
  ],
  ['Drag and drop your photos here.', `Attach your files here (or say "upload").`, ['upload']],
  [
    'I added the title. Then click Generate to create the video.',
    `I added the title. Then say "generate" to create the video.`,
    [],
  ],
  [
    'Tap “Upload Media” to add files.',
    `Attach your files here (or say "upload") to add files.`,
    ['upload'],
  ],
  [
    'Open the Effects panel, then click Export.',
    `Say "status" (I'll summarise the timeline), then say "export" (or press Export) and I'll render it.`,
    ['export', 'state'],
  ],
  [
    'Here is what to do:\n- Click "Apply changes".\n- Drag the logo onto the video track.',
    'Here is what to do:\n- Say "apply changes".\n' +
      '- Tell me the change and I\'ll make it (e.g. "move the logo onto the video track").',
    [],
  ],
  [
    'The Export button is greyed out until the render is ready.',
    'The Export button is greyed out until the render is ready.',
    ['export'],
  ],
  // left alone
  ['This hook is pure clickbait.', 'This hook is pure clickbait.', []],
  ['It takes a single click to share.', 'It takes a single click to share.', []],
  ['I will reopen the project later.', 'I will reopen the project later.', []],
  ['Drop shadow makes the title pop.', 'Drop shadow makes the title pop.', []],
  ['Press Enter to send your message.', 'Press Enter to send your message.', []],
  ['The store is open the whole week.', 'The store is open the whole week.', []],
  ['Open the link below to learn more.', 'Open the link below to learn more.', []],
  [
    'Open the preview to check the framing.',
    'Open the preview (press Preview) to check the framing.',
    ['preview'],
  ],
  ['Click Preview to see it.', 'Press Preview to see it.', ['preview']],
  ['Your video is ready to export.', 'Your video is ready to export.', []],
  [
    'The click of the camera shutter adds drama.',
    'The click of the camera shutter adds drama.',
    [],
  ],
]

const chinese: Case[] = [
  ['点击“导出”按钮。', '说“导出”（或按导出按钮），我就会开始渲染。', ['export']],
  ['完成后点击右上角的导出按钮下载视频。', '完成后说“导出”（或按导出按钮）下载视频。', ['export']],
  ['你可以在时间线中预览效果。', '你可以按“预览”观看效果。', ['preview']],
  ['打开预览查看构图。', '按“预览”按钮打开预览查看构图。', ['preview']],
  ['打开时间线查看构图。', '说“状态”查看时间线摘要，查看构图。', ['state']],
  ['完成后点击生成。', '完成后说“生成”。', []],
  ['请点击生成，然后等待。', '请说“生成”，然后等待。', []],
  ['点击“预览”看看效果。', '按“预览”看看效果。', ['preview']],
  ['打开时间线查看效果。', '说“状态”查看时间线摘要。', ['state']],
  [
    '把片段拖到开头，然后导出。',
    '告诉我要怎么改，我来完成（例如“把片段移到开头”），然后导出。',
    [],
  ],
  ['将图片拖拽到这里上传。', '直接发送文件（或说“上传”）。', ['upload']],
  ['点击“生成”开始制作。', '说“生成”开始制作。', []],
  ['单击上传按钮添加素材。', '直接发送文件（或说“上传”）添加素材。', ['upload']],
  ['这个视频的点击率很高。', '这个视频的点击率很高。', []],
  ['不要拖延，马上开始吧。', '不要拖延，马上开始吧。', []],
  ['导出按钮在右上角。', '导出按钮在右上角。', ['export']],
]

describe('translateGuiWording', () => {
  it.each(english)('en: %j', (input, text, actions) => {
    const out = translateGuiWording(input)
    expect(out.text).toBe(text)
    expect([...out.actions].sort()).toEqual([...actions].sort())
  })

  it.each(chinese)('zh: %j', (input, text, actions) => {
    const out = translateGuiWording(input)
    expect(out.text).toBe(text)
    expect([...out.actions].sort()).toEqual([...actions].sort())
  })

  it('lists each action once and leaves plain replies untouched', () => {
    const reply = 'Click Export. Or click Export again later.'
    expect(translateGuiWording(reply).actions).toEqual(['export'])
    const plain = 'I added lo-fi music at 35% volume and a title that says "Urban Dreams".'
    expect(translateGuiWording(plain)).toEqual({ text: plain, actions: [] })
  })
})

describe('rewritableFrom', () => {
  it('points at the first word a rule can start with, or the clause a Chinese rule can take', () => {
    expect(rewritableFrom('Your video is ready and you can cl')).toBe(34)
    expect(rewritableFrom('When you are happy, simply click on')).toBe(27)
    expect(rewritableFrom('Opening titles look great')).toBe(0)
    expect(rewritableFrom('好的，我来制作，然后把片段拖')).toBe(8)
    // An unfinished Chinese clause may still get a rule's word.
    expect(rewritableFrom('好的，我来制作')).toBe(3)
    expect(rewritableFrom('All done, enjoy')).toBe(15)
  })
})

describe('text let out before its sentence ends', () => {
  const cases = [...english, ...chinese]
  /** The reply's text as a client reads it, with every chunk's safe start let out at once. */
  function streamed(chunks: string[]): string {
    const out: string[] = []
    // 0 ms: the reader is always "quiet", so each chunk lets out all it safely can.
    const reply = new ReplyText(guiWording, (delta) => out.push(delta), 0)
    for (const chunk of chunks) reply.push(chunk)
    reply.finish()
    return out.join('')
  }

  it('reads exactly as the whole sentence translated, however the chunks are cut', () => {
    const cut = fc.constantFrom(...cases).chain(([input, text]) =>
      fc
        .uniqueArray(fc.integer({ min: 1, max: Math.max(1, input.length - 1) }), {
          maxLength: 4,
        })
        .map((at) => ({ input, text, at: [...at].sort((a, b) => a - b) })),
    )
    fc.assert(
      fc.property(cut, ({ input, text, at }) => {
        const chunks = [0, ...at].map((from, i) => input.slice(from, at[i] ?? input.length))
        expect(streamed(chunks)).toBe(text)
      }),
    )
  })

  it('lets a sentence’s start out before it ends, and translates its end with it', () => {
    const out: string[] = []
    const reply = new ReplyText(guiWording, (delta) => out.push(delta), 0)
    reply.push('Your video is ready, please cl')
    reply.push('ick Export.')
    expect(out).toEqual(['Your video is ready, please '])
    reply.finish()
    expect(out).toEqual([
      'Your video is ready, please ',
      `say "export" (or press Export) and I'll render it.`,
    ])
  })
})
