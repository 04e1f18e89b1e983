import { Image } from '@tarojs/components'
import { assetUrl } from '../utils/assets'

/**
 * A goods picture: the stored path made loadable (utils/assets), and a text alternative. On H5
 * Taro's Image renders an `<img>` inside its own element and passes only `nativeProps` through to
 * it, so that is where `alt` goes (axe's image-alt); `ariaLabel` is the mini program's equivalent.
 * `alt=""` marks a picture the text beside it already names.
 */
export function GoodsImage({ src, alt, className = '', lazy = false }: { src: string; alt: string; className?: string; lazy?: boolean }) {
  return <Image className={className} src={assetUrl(src)} mode="aspectFill" lazyLoad={lazy} ariaLabel={alt || undefined} nativeProps={{ alt }} />
}
