import { browser } from 'wxt/browser'
import { z } from 'zod/mini'
import { base64ToBytes } from '../utils/image-source.ts'
import { ImageChunkReply, type AgentMessage, type ArticleAgentMessage } from '../utils/messages.ts'

const AGENT_FILE = '/page-agent.js' as const
/** The article action's agent (it carries Readability); see page/article-agent.ts. */
export const ARTICLE_AGENT_FILE = '/article-agent.js' as const
/** Upper bound on bytes read from a page for one image (the backend's image limit is far lower). */
const MAX_PAGE_READ_BYTES = 50 * 1024 * 1024

/**
 * Injects the page agent into a tab's frame (activeTab grants it after the user's click).
 * Resolves false where the browser forbids scripts (store pages, browser UI, PDFs).
 */
export async function injectAgent(
  tabId: number,
  frameId = 0,
  file: typeof AGENT_FILE | typeof ARTICLE_AGENT_FILE = AGENT_FILE,
): Promise<boolean> {
  try {
    await browser.scripting.executeScript({
      target: { tabId, frameIds: [frameId] },
      files: [file],
    })
    return true
  } catch {
    return false
  }
}

/** Sends a message to the agent of one frame and parses the answer; undefined when it can't. */
export async function askAgent<S extends z.core.$ZodType>(
  tabId: number,
  frameId: number,
  message: AgentMessage | ArticleAgentMessage,
  schema: S,
): Promise<z.infer<S> | undefined> {
  try {
    const reply: unknown = await browser.tabs.sendMessage(tabId, message, { frameId })
    const parsed = z.safeParse(schema, reply)
    return parsed.success ? parsed.data : undefined
  } catch {
    return undefined
  }
}

/**
 * Reads an image the page can read and the extension cannot (a `blob:` URL, an image behind the
 * site's cookies) through the agent, in base64 chunks: Chrome's messages carry JSON, not Blobs.
 */
export async function readImageViaAgent(
  tabId: number,
  frameId: number,
  url: string,
): Promise<Blob | undefined> {
  const parts: Uint8Array<ArrayBuffer>[] = []
  let offset = 0
  let type = ''
  for (;;) {
    const chunk = await askAgent(
      tabId,
      frameId,
      { type: 'read-image', url, offset },
      ImageChunkReply,
    )
    if (!chunk?.ok || chunk.offset !== offset || chunk.size > MAX_PAGE_READ_BYTES) return undefined
    const bytes = base64ToBytes(chunk.base64)
    parts.push(bytes)
    type = chunk.type
    offset += bytes.length
    if (offset >= chunk.size) break
    if (bytes.length === 0) return undefined
  }
  return new Blob(parts, { type })
}
