import { PRESET_SIZES } from '../../shared/api/index.ts'

/**
 * The H.264 stream the export writes: High profile, level 4.0, which fits every preset (1080p is
 * 8,160 macroblocks of level 4.0's 8,192) at `VIDEO_BITRATE`. The encoder is given this exact
 * string, so the question asked up front is the one the render asks.
 */
export const H264_CODEC = 'avc1.640028'
/** 1080p H.264 at this rate is about 8 Mbit/s: plenty for stills and titles. */
export const VIDEO_BITRATE = 8_000_000
export const VIDEO_FPS = 30

/**
 * Why this browser cannot export here: `no-webcodecs` when it has no `VideoEncoder` at all,
 * `no-h264` when it has one that refuses this H.264 configuration (no encoder on this device).
 */
export type EncodeSupport = { ok: true } | { ok: false; reason: 'no-webcodecs' | 'no-h264' }

type Probe = (config: VideoEncoderConfig) => Promise<boolean>

const webCodecsProbe = (): Probe | undefined =>
  typeof VideoEncoder === 'undefined' || typeof VideoEncoder.isConfigSupported !== 'function'
    ? undefined
    : async (config) => !!(await VideoEncoder.isConfigSupported(config)).supported

/**
 * Whether this browser can encode the export's video at `sizes` (every preset's unless told), asked
 * before a job exists (in
 * the popup, and again in the renderer) with the exact configuration the encoder uses. Sound never
 * blocks an export: where there is no AAC or Opus encoder, MP3 (WebAssembly) is used. Small and
 * free of mediabunny, so the popup can ask it.
 */
export async function probeEncodeSupport(
  sizes: ReadonlyArray<{ width: number; height: number }> = Object.values(PRESET_SIZES),
  probe: Probe | undefined = webCodecsProbe(),
): Promise<EncodeSupport> {
  if (!probe) return { ok: false, reason: 'no-webcodecs' }
  for (const { width, height } of sizes) {
    const supported = await probe({
      codec: H264_CODEC,
      width,
      height,
      bitrate: VIDEO_BITRATE,
      framerate: VIDEO_FPS,
      latencyMode: 'realtime',
    }).catch(() => false)
    if (!supported) return { ok: false, reason: 'no-h264' }
  }
  return { ok: true }
}

/** The renderer's words for a refusal (the panel shows its own, en + zh, before any job). */
export const ENCODE_SUPPORT_MESSAGE: Record<
  Exclude<EncodeSupport, { ok: true }>['reason'],
  string
> = {
  'no-webcodecs': 'This browser has no video encoder (WebCodecs); use the cloud export or Chrome.',
  'no-h264':
    'This browser cannot encode H.264 video on this device; use the cloud export or Chrome.',
}
