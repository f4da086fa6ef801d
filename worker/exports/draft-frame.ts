import { PRESET_SIZES, type ExportPreset } from '../../shared/api/exports.ts'

/**
 * The draft to submit for a preset. The backend has no aspect field: the frame is the draft's
 * `m.width` x `m.height` (contract, "Render"), so the preset's size goes there; every other field
 * of the draft, known or not, is kept as the backend sent it.
 */
export function withPresetFrame(draft: unknown, preset: ExportPreset): Record<string, unknown> {
  const base = isObject(draft) ? draft : {}
  const meta = isObject(base['m']) ? base['m'] : {}
  return { ...base, m: { ...meta, ...presetFrame(preset) } }
}

/** The frame of a preset in pixels: the one place the worker looks a preset's size up. */
export function presetFrame(preset: ExportPreset): { width: number; height: number } {
  const { width, height } = PRESET_SIZES[preset]
  return { width, height }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
