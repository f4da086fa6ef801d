import type { AudioCodec } from 'mediabunny'
import type { AudioChoice } from './render-messages.ts'

/**
 * The codec this browser can encode for the user's sound setting: `auto` is AAC where the browser
 * has an encoder (Chrome on Windows and macOS) and Opus elsewhere (Linux Chromium has no AAC
 * encoder); `mp3` plays everywhere, through a WebAssembly LAME encoder loaded only then (it needs
 * 'wasm-unsafe-eval' in the extension's CSP), and is also `auto`'s answer where the browser has
 * neither AAC nor Opus.
 */
export async function chooseAudioCodec(
  choice: AudioChoice,
  params: { sampleRate: number; numberOfChannels: number },
): Promise<AudioCodec> {
  const mb = await import('mediabunny')
  if (choice === 'auto') {
    if (await mb.canEncodeAudio('aac', params)) return 'aac'
    if (await mb.canEncodeAudio('opus', params)) return 'opus'
    // No sound encoder in this browser: MP3 still gives a file, so sound never blocks an export.
  }
  if (!(await mb.canEncodeAudio('mp3', params))) {
    const { registerMp3Encoder } = await import('@mediabunny/mp3-encoder')
    registerMp3Encoder()
  }
  return 'mp3'
}
