import type { PreviewMediaDeps } from '../../preview/worker-media.ts'
import { DEMO_MUSIC, DEMO_PICTURES, type DemoMediaUrls } from './demo-draft.ts'

/** The demo's files, read from the extension itself, as the preview's media source. */
export interface DemoMedia {
  urls: DemoMediaUrls
  deps: PreviewMediaDeps
  dispose(): void
}

/**
 * Reads the files shipped in `public/demo/` and names each by a blob: URL, the kind of URL the
 * compositor draws; the preview's media library then gets their bytes from here, never the network.
 */
export async function loadDemoMedia(base = '/demo/'): Promise<DemoMedia> {
  const names = [...DEMO_PICTURES, DEMO_MUSIC]
  const blobs = await Promise.all(
    names.map(async (name) => {
      const res = await fetch(base + name)
      if (!res.ok) throw new Error(`demo file ${name}: HTTP ${res.status}`)
      return await res.blob()
    }),
  )
  const byUrl = new Map<string, Blob>()
  const urls = blobs.map((blob) => {
    const url = URL.createObjectURL(blob)
    byUrl.set(url, blob)
    return url
  })
  return {
    urls: { pictures: urls.slice(0, DEMO_PICTURES.length), music: urls.at(-1)! },
    deps: {
      localBlob: async (url) => byUrl.get(url),
      remote: async () => {
        throw new Error('the demo has no remote media')
      },
    },
    dispose: () => urls.forEach((url) => URL.revokeObjectURL(url)),
  }
}
