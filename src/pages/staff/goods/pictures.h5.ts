import { browserUpload, PICTURE_TYPES, pictureCloudPath } from '../../../services/staffGoods'

// H5 against the local cloud: a file input, each picture POSTed to the local cloud's upload route
// (cloud/local/storage BROWSER_UPLOAD_PATH), which answers the file id the goods item stores.

const random = (): string => Array.from(crypto.getRandomValues(new Uint8Array(5)), (b) => b.toString(16).padStart(2, '0')).join('')

/** The files picked in the browser's file dialog ([] when it is cancelled). */
function chooseFiles(max: number): Promise<File[]> {
  return new Promise((resolve) => {
    const input = document.createElement('input')
    input.type = 'file'
    input.accept = Object.keys(PICTURE_TYPES).join(',')
    input.multiple = max > 1
    input.style.display = 'none'
    const done = (files: File[]): void => {
      input.remove()
      resolve(files.slice(0, max))
    }
    input.addEventListener('change', () => done(Array.from(input.files ?? [])))
    input.addEventListener('cancel', () => done([]))
    document.body.appendChild(input)
    input.click()
  })
}

/** Up to `max` pictures the staff member picks, uploaded; their file ids in the order picked ([] when they cancel). */
export async function pickPictures(max: number): Promise<string[]> {
  const files = await chooseFiles(max)
  const ids: string[] = []
  for (const file of files) {
    ids.push(
      await browserUpload(
        (...args) => fetch(...args),
        { type: file.type, name: file.name, body: file },
        pictureCloudPath(file.type, file.name, Date.now(), random),
      ),
    )
  }
  return ids
}
