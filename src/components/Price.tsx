import { Text } from '@tarojs/components'
import { formatFen, type Fen } from '../utils/money'

/**
 * An amount in the shop's price style (classes in styles/blocks.scss): ¥ and the 分 smaller than
 * the yuan, as shoppers expect. The text is still `¥45.00` as a whole, for copy and screen readers.
 */
export function Price({ fen, size = 'normal', className = '' }: { fen: Fen; size?: 'small' | 'normal' | 'large' | 'display'; className?: string }) {
  const text = formatFen(fen)
  const parts = /^(-?¥)(\d+)(\.\d\d)$/.exec(text)
  const classes = `price ${size === 'normal' ? '' : `price--${size}`} ${className}`
  if (!parts) return <Text className={classes}>{text}</Text>
  return (
    <Text className={classes}>
      <Text className="price__sign">{parts[1]}</Text>
      <Text className="price__yuan">{parts[2]}</Text>
      <Text className="price__fen">{parts[3]}</Text>
    </Text>
  )
}
