import { Text, View } from '@tarojs/components'
import { Action } from './Action'
import './States.scss'

/** Grey placeholder blocks while the first page loads. */
export function Skeleton({ rows = 4 }: { rows?: number }) {
  return (
    <View className="skeleton" role="status" aria-busy="true" aria-label="加载中">
      {Array.from({ length: rows }, (_, i) => (
        <View key={i} className="skeleton__row">
          <View className="skeleton__pic" />
          <View className="skeleton__lines">
            <View className="skeleton__line" />
            <View className="skeleton__line skeleton__line--short" />
          </View>
        </View>
      ))}
    </View>
  )
}

export function Empty({ text, action, onAction }: { text: string; action?: string; onAction?: () => void }) {
  return (
    <View className="state">
      <Text className="state__text">{text}</Text>
      {action && onAction ? (
        <Action kind="primary" className="state__button" onClick={onAction}>
          {action}
        </Action>
      ) : null}
    </View>
  )
}

export function ErrorRetry({ message, onRetry }: { message: string; onRetry: () => void }) {
  return (
    <View className="state state--error" role="alert">
      <Text className="state__text">{message}</Text>
      <Action className="state__button" onClick={onRetry}>
        重试
      </Action>
    </View>
  )
}
