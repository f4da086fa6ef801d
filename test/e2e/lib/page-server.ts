import { createServer, type Server } from 'node:http'
import { readFile } from 'node:fs/promises'
import { extname, join, normalize, sep } from 'node:path'
import { fileURLToPath } from 'node:url'

/** The demo site: an article with real images (srcset, lazy, <picture>, a duplicate, a pixel, an icon). */
export const SITE_DIR = fileURLToPath(new URL('../fixtures/site/', import.meta.url))

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.jpg': 'image/jpeg',
  '.png': 'image/png',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.css': 'text/css; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
}

export interface PageServer {
  url: string
  /** Paths requested so far (to tell which image candidates the browser or extension fetched). */
  requests: string[]
  stop(): Promise<void>
}

/** Serves `root` read-only on 127.0.0.1 at a free port. */
export async function startPageServer(root: string = SITE_DIR): Promise<PageServer> {
  const requests: string[] = []
  const server: Server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)
    requests.push(path)
    const file = normalize(join(root, path.endsWith('/') ? `${path}index.html` : path))
    if (!file.startsWith(root.endsWith(sep) ? root : root + sep)) {
      res.writeHead(403).end()
      return
    }
    try {
      const body = await readFile(file)
      res.writeHead(200, {
        'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
        'content-length': body.length,
        'cache-control': 'no-store',
      })
      res.end(req.method === 'HEAD' ? undefined : body)
    } catch {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found')
    }
  })
  return listenOnLoopback(server, requests, 'page server')
}

/**
 * A stand-in for NemoVideo's web app (`NEMO_WEB_BASE_URL`) on its own origin: every path answers
 * with one page, so registration (`/register?bind=`) and claim (`/workspace/claim?ct=`) links open
 * somewhere on a machine without the internet. `requests` lists the URLs asked for.
 */
export async function startNemoWebStandIn(): Promise<PageServer> {
  const page = await readFile(new URL('../fixtures/nemovideo-stand-in.html', import.meta.url))
  const requests: string[] = []
  const server = createServer((req, res) => {
    requests.push(req.url ?? '/')
    res.writeHead(200, {
      'content-type': 'text/html; charset=utf-8',
      'content-length': page.length,
    })
    res.end(req.method === 'HEAD' ? undefined : page)
  })
  return listenOnLoopback(server, requests, 'NemoVideo stand-in')
}

/** Listens on a free loopback port; `stop` ends open connections too, so it never hangs. */
async function listenOnLoopback(
  server: Server,
  requests: string[],
  name: string,
): Promise<PageServer> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  if (!address || typeof address !== 'object') throw new Error(`${name} has no address`)
  return {
    url: `http://127.0.0.1:${address.port}/`,
    requests,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
