import type { ExportPreset } from '../../shared/api/exports.ts'

/**
 * The suggested download name: `pagereel-20261124-1130-9x16.mp4` (UTC). Only [a-z0-9-.] so it is
 * safe as `downloads.download`'s relative filename and inside a quoted Content-Disposition.
 */
export function exportFileName(preset: ExportPreset, completedAt: number): string {
  const iso = new Date(completedAt).toISOString() // 2026-11-24T11:30:00.000Z
  const stamp = `${iso.slice(0, 10).replaceAll('-', '')}-${iso.slice(11, 16).replace(':', '')}`
  return `pagereel-${stamp}-${preset.replace(':', 'x')}.mp4`
}
