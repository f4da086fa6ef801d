import type { AudioCodec } from 'mediabunny'
import type { MixedAudio } from '../preview/types.ts'
import type { AudioChoice } from './render-messages.ts'

/**
 * The codec this browser can encode for the user's sound setting: `auto` is AAC where the browser
 * has an encoder (Chrome on Windows and macOS) and Opus elsewhere (Linux Chromium has no AAC
 * encoder); `mp3` plays everywhere, through a WebAssembly LAME encoder loaded only then (it needs
 * 'wasm-unsafe-eval' in the extension's CSP).
 */
export async function chooseAudioCodec(
  choice: AudioChoice,
  audio: Pick<MixedAudio, 'sampleRate' | 'channels'>,
): Promise<AudioCodec> {
  const mb = await import('mediabunny')
  const params = { numberOfChannels: audio.channels.length, sampleRate: audio.sampleRate }
  if (choice === 'mp3') {
    if (!(await mb.canEncodeAudio('mp3', params))) {
      const { registerMp3Encoder } = await import('@mediabunny/mp3-encoder')
      registerMp3Encoder()
    }
    return 'mp3'
  }
  if (await mb.canEncodeAudio('aac', params)) return 'aac'
  if (await mb.canEncodeAudio('opus', params)) return 'opus'
  throw new Error('This browser has no AAC or Opus encoder; choose MP3 in the options')
}
