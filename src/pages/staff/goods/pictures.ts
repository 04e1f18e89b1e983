import Taro from '@tarojs/taro'
import { pictureCloudPath } from '../../../services/staffGoods'
import { CloudError } from '../../../services/transport'

// The mini program: pictures from the album or camera, uploaded with wx.cloud.uploadFile into
// cloud storage under goods/. On H5 Taro takes ./pictures.h5.ts (the local cloud's upload route).

const random = (): string => Math.random().toString(36).slice(2, 10)

/** Up to `max` pictures the staff member picks, uploaded; their file ids in the order picked ([] when they cancel). */
export async function pickPictures(max: number): Promise<string[]> {
  let paths: string[]
  try {
    const chosen = await Taro.chooseImage({ count: max, sizeType: ['compressed'], sourceType: ['album', 'camera'] })
    paths = chosen.tempFilePaths
  } catch {
    return [] // cancelled (chooseImage:fail cancel) or no permission: nothing to upload
  }
  const ids: string[] = []
  for (const filePath of paths.slice(0, max)) {
    try {
      const { fileID } = await Taro.cloud.uploadFile({ cloudPath: pictureCloudPath('', filePath, Date.now(), random), filePath })
      ids.push(fileID)
    } catch (cause) {
      throw new CloudError('TRANSPORT_ERROR', '图片上传失败，请重试', cause)
    }
  }
  return ids
}
