import { useSignal } from '@preact/signals'
import { useEffect } from 'preact/hooks'
import type { TrayModel } from '../models/TrayModel.ts'
import { t } from '../utils/i18n.ts'
import type { TrayItem } from '../utils/storage.ts'

interface Props {
  item: TrayItem
  index: number
  count: number
  tray: TrayModel
  failed: boolean
  onDragStart: () => void
  onDrop: () => void
}

/** One collected image or text: thumbnail, move buttons (the keyboard's way to reorder), remove. */
export function TrayItemCard({ item, index, count, tray, failed, onDragStart, onDrop }: Props) {
  const name =
    item.kind === 'image' ? t('ui_tray_image_n', [index + 1]) : t('ui_tray_text_n', [index + 1])
  return (
    <li
      class={`tray-item${failed ? ' tray-item-failed' : ''}`}
      draggable
      onDragStart={(e) => {
        e.dataTransfer?.setData('text/x-pagereel-tray', item.id)
        onDragStart()
      }}
      onDragOver={(e) => e.preventDefault()}
      onDrop={(e) => {
        e.preventDefault()
        e.stopPropagation()
        onDrop()
      }}
      aria-label={name}
    >
      {item.kind === 'image' ? (
        <Thumb item={item} tray={tray} alt={item.alt || name} />
      ) : (
        <p class="tray-text">{item.text}</p>
      )}
      <div class="tray-item-tools">
        <button
          type="button"
          class="icon-button"
          disabled={index === 0}
          onClick={() => void tray.moveBy(item.id, -1)}
          aria-label={t('ui_tray_move_up', [name])}
        >
          ‹
        </button>
        <button
          type="button"
          class="icon-button"
          disabled={index === count - 1}
          onClick={() => void tray.moveBy(item.id, 1)}
          aria-label={t('ui_tray_move_down', [name])}
        >
          ›
        </button>
        <button
          type="button"
          class="icon-button"
          onClick={() => void tray.remove(item.id)}
          aria-label={t('ui_tray_remove', [name])}
        >
          ×
        </button>
      </div>
    </li>
  )
}

function Thumb({
  item,
  tray,
  alt,
}: {
  item: Extract<TrayItem, { kind: 'image' }>
  tray: TrayModel
  alt: string
}) {
  const local = useSignal<string | undefined>(undefined)
  useEffect(() => {
    if (!item.blobKey) return
    let url: string | undefined
    let live = true
    void tray.readBlob(item.blobKey).then((blob) => {
      if (!live || !blob) return
      url = URL.createObjectURL(blob)
      local.value = url
    })
    return () => {
      live = false
      if (url) URL.revokeObjectURL(url)
    }
  }, [item.blobKey])
  const src = item.blobKey ? local.value : item.src
  return src ? (
    <img class="tray-thumb" src={src} alt={alt} loading="lazy" />
  ) : (
    <div class="tray-thumb tray-thumb-empty" />
  )
}
