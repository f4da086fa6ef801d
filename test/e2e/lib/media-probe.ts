import { execFile } from 'node:child_process'
import { promisify } from 'node:util'

const run = promisify(execFile)

export interface VideoInfo {
  codec: string
  width: number
  height: number
  durationSec: number
}

/** What Debian's ffprobe answers about a file's first video stream: `entries`, printed as `format`. */
async function probeFirstVideo(file: string, entries: string, format: string): Promise<string> {
  const args = ['-v', 'error', '-select_streams', 'v:0', '-show_entries', entries, '-of', format]
  const { stdout } = await run('ffprobe', [...args, file])
  return stdout
}

/** Each decoded video frame's time, in the order ffprobe presents them. */
export async function frameTimes(file: string): Promise<number[]> {
  const csv = await probeFirstVideo(file, 'frame=pts_time', 'csv=p=0')
  return csv.trim().split('\n').map(Number)
}

/** What Debian's ffprobe reads in a video file (its first video stream). */
export async function probeVideo(file: string): Promise<VideoInfo> {
  const stdout = await probeFirstVideo(
    file,
    'stream=codec_name,width,height:format=duration',
    'json',
  )
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
