/**
 * Files rendered on this device, in the extension's origin private file system: written as they
 * are encoded (memory stays flat however long the video), read back as a disk-backed `File` for
 * a download, and kept there so Download works after every tab and the renderer have closed.
 */
const DIR = 'renders'

async function dir(): Promise<FileSystemDirectoryHandle> {
  const root = await navigator.storage.getDirectory()
  return root.getDirectoryHandle(DIR, { create: true })
}

const fileName = (jobId: string) => `${jobId}.mp4`

/** A writable for the encoder (positioned writes); the file exists once it is closed. */
export async function createOutputFile(jobId: string): Promise<FileSystemWritableFileStream> {
  const handle = await (await dir()).getFileHandle(fileName(jobId), { create: true })
  return handle.createWritable({ keepExistingData: false })
}

/** The finished file, or undefined when there is none (cancelled, removed, another profile). */
export async function readOutputFile(jobId: string): Promise<File | undefined> {
  try {
    const handle = await (await dir()).getFileHandle(fileName(jobId))
    const file = await handle.getFile()
    return file.size > 0 ? file : undefined
  } catch {
    return undefined
  }
}

export async function removeOutputFile(jobId: string): Promise<void> {
  await (await dir()).removeEntry(fileName(jobId)).catch(() => {})
}

/** Ids of every file kept, for the bookkeeping's clean-up of files no job names any more. */
export async function listOutputFiles(): Promise<string[]> {
  const ids: string[] = []
  for await (const name of (await dir()).keys()) {
    if (name.endsWith('.mp4')) ids.push(name.slice(0, -4))
  }
  return ids
}
