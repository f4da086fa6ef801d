import { execFile } from 'node:child_process'
import { promisify } from 'node:util'

const run = promisify(execFile)

export interface VideoInfo {
  codec: string
  width: number
  height: number
  durationSec: number
}

/** What Debian's ffprobe reads in a video file (its first video stream). */
export async function probeVideo(file: string): Promise<VideoInfo> {
  const { stdout } = await run('ffprobe', [
    '-v',
    'error',
    '-select_streams',
    'v:0',
    '-show_entries',
    'stream=codec_name,width,height:format=duration',
    '-of',
    'json',
    file,
  ])
  const out = JSON.parse(stdout) as {
    streams?: Array<{ codec_name?: string; width?: number; height?: number }>
    format?: { duration?: string }
  }
  const stream = out.streams?.[0]
  if (!stream) throw new Error(`ffprobe found no video stream in ${file}`)
  return {
    codec: stream.codec_name ?? '',
    width: stream.width ?? 0,
    height: stream.height ?? 0,
    durationSec: Number(out.format?.duration ?? 0),
  }
}
