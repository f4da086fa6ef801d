/**
 * A download file name that every OS and the downloads API accept: relative, no directories, no
 * reserved characters or names, ending in `.mp4`.
 * @example safeFileName('../My video: "final"?') // 'My video final.mp4'
 */
export function safeFileName(name: string | undefined, fallback = 'pagereel-video'): string {
  const base = (name ?? '')
    .replace(/\.mp4$/i, '')
    .split(/[\\/]/)
    .filter((part) => part && part !== '.' && part !== '..')
    .join(' ')
    .replace(/[\u0000-\u001f\u007f<>:"|?*~]+/g, ' ')
    .replace(/\s+/g, ' ')
    .replace(/^[\s.]+|[\s.]+$/g, '')
    .slice(0, 120)
    .trim()
  const reserved = /^(con|prn|aux|nul|com\d|lpt\d)$/i.test(base)
  return `${base && !reserved ? base : fallback}.mp4`
}
