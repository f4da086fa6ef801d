import { R2_MAX_PARTS, R2_MIN_PART_BYTES } from '../../shared/api/uploads.ts'

/**
 * The part size of an upload: the client's preference if it gave one, else the largest allowed,
 * kept between R2's 5 MiB minimum and UPLOAD_PART_MAX_BYTES (under the zone's request limit), and
 * large enough that the file fits in R2's 10,000 parts.
 */
export function choosePartSize(
  size: number,
  preferred: number | undefined,
  maxBytes: number,
): number {
  const wanted = Math.min(preferred ?? maxBytes, maxBytes)
  return Math.max(wanted, R2_MIN_PART_BYTES, Math.ceil(size / R2_MAX_PARTS))
}
