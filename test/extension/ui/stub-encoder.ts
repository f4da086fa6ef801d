import { vi } from 'vitest'

/** WebCodecs as a browser that can (or cannot) encode the export's H.264 has it; records asks. */
export function stubEncoder(supported: boolean): VideoEncoderConfig[] {
  const asked: VideoEncoderConfig[] = []
  vi.stubGlobal('VideoEncoder', {
    isConfigSupported: async (config: VideoEncoderConfig) => {
      asked.push(config)
      return { supported, config }
    },
  })
  return asked
}
