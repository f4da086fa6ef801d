import { describe, expect, it } from 'vitest'
import { Intent, routeIntent, tokenize } from '../../shared/intent/router.ts'

const cases: Array<[string, Intent]> = [
  // export
  ['export', { kind: 'export' }],
  ['Export!', { kind: 'export' }],
  ['export 1080p MP4', { kind: 'export' }],
  ['please export the video', { kind: 'export' }],
  ['download', { kind: 'export' }],
  ['Download it now', { kind: 'export' }],
  ['send me the video', { kind: 'export' }],
  ['Can you send me the final video?', { kind: 'export' }],
  ['export as 9:16', { kind: 'export', preset: '9:16' }],
  ['export 9 : 16', { kind: 'export', preset: '9:16' }],
  ['export vertical video for TikTok', { kind: 'export', preset: '9:16' }],
  ['render it in landscape', { kind: 'export', preset: '16:9' }],
  ['download a square version', { kind: 'export', preset: '1:1' }],
  ['export 1:1', { kind: 'export', preset: '1:1' }],
  ['export 16:9 and 9:16', { kind: 'export' }],
  ['导出', { kind: 'export' }],
  ['导出视频', { kind: 'export' }],
  ['下载', { kind: 'export' }],
  ['帮我导出一个竖屏视频', { kind: 'export', preset: '9:16' }],
  ['把视频导出成横屏', { kind: 'export', preset: '16:9' }],
  ['导出方形视频', { kind: 'export', preset: '1:1' }],
  ['导出 1080p MP4', { kind: 'export' }],
  ['把视频发给我', { kind: 'export' }],
  ['导出 9：16', { kind: 'export', preset: '9:16' }],
  // credits
  ['credits', { kind: 'credits' }],
  ['How many credits do I have left?', { kind: 'credits' }],
  ['check my balance', { kind: 'credits' }],
  ['积分', { kind: 'credits' }],
  ['余额', { kind: 'credits' }],
  ['我还有多少积分？', { kind: 'credits' }],
  ['查看余额', { kind: 'credits' }],
  // state
  ['status', { kind: 'state' }],
  ['show tracks', { kind: 'state' }],
  ["what's on the timeline?", { kind: 'state' }],
  ['show me the timeline', { kind: 'state' }],
  ['状态', { kind: 'state' }],
  ['时间线', { kind: 'state' }],
  ['查看当前时间线', { kind: 'state' }],
  ['显示轨道', { kind: 'state' }],
  // upload
  ['upload', { kind: 'upload' }],
  ['upload some photos', { kind: 'upload' }],
  ['上传', { kind: 'upload' }],
  ['我要上传视频', { kind: 'upload' }],
  // chat, including the tricky negatives
  ['generate a 30 second promo video', { kind: 'chat' }],
  ['edit the intro', { kind: 'chat' }],
  ['add music', { kind: 'chat' }],
  ['make it look better', { kind: 'chat' }],
  ['add a title that says export soon', { kind: 'chat' }],
  ["don't export yet", { kind: 'chat' }],
  ['export the audio only', { kind: 'chat' }],
  ['download music from youtube and add it', { kind: 'chat' }],
  ['balance the audio levels', { kind: 'chat' }],
  ['add a credits roll at the end', { kind: 'chat' }],
  ['make the timeline faster', { kind: 'chat' }],
  ['make it vertical', { kind: 'chat' }],
  ['9:16', { kind: 'chat' }],
  ['export status', { kind: 'chat' }],
  ['send me a joke', { kind: 'chat' }],
  ['upload this to youtube for me and write a description', { kind: 'chat' }],
  [
    'please export the video as a vertical 1080p mp4 file for tiktok with the final high quality version now',
    { kind: 'chat' },
  ],
  ['', { kind: 'chat' }],
  ['   ', { kind: 'chat' }],
  ['生成一个宣传视频', { kind: 'chat' }],
  ['给视频加背景音乐', { kind: 'chat' }],
  ['添加一个写着导出的标题', { kind: 'chat' }],
  ['先不要导出', { kind: 'chat' }],
  ['下载背景音乐', { kind: 'chat' }],
  ['导出前先加个标题', { kind: 'chat' }],
  ['把时间线调快一点', { kind: 'chat' }],
  ['竖屏', { kind: 'chat' }],
]

describe('routeIntent', () => {
  it.each(cases)('%j -> %j', (text, expected) => {
    const intent = routeIntent(text)
    expect(intent).toEqual(expected)
    expect(Intent.parse(intent)).toEqual(intent)
  })

  it.each(['make a video from these', '', 'export'])('attachments route %j to upload', (text) => {
    expect(routeIntent(text, { hasAttachments: true })).toEqual({ kind: 'upload' })
  })
})

describe('tokenize', () => {
  it('splits Chinese by the longest known word and keeps ratios and sizes whole', () => {
    expect(tokenize('帮我导出竖屏视频 9：16, 1080x1920.')).toEqual([
      '帮我',
      '导出',
      '竖屏',
      '视频',
      '9:16',
      '1080x1920',
    ])
    expect(tokenize("What's on the Timeline?")).toEqual(["what's", 'on', 'the', 'timeline'])
  })
})
