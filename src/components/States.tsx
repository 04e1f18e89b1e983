import { Text, View } from '@tarojs/components'
import { Action } from './Action'
import { pressable } from './pressable'
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

/** A paged list as its footer sees it: loading, failed (with the shopper's or staff's words), or more to come. */
export type PagedList = { status: string; error: { message: string } | null; nextCursor: string | null }

/** Under a paged list: 加载中…, 加载更多 / the error with 点此重试 (tap: `onMore`), or 没有更多了. */
export function ListFooter({ list, onMore }: { list: PagedList; onMore: () => void }) {
  if (list.status === 'loading') return <Text className="list-more">加载中…</Text>
  if (list.status === 'error' || list.nextCursor)
    return (
      <View className="list-more list-more--tap" role="button" onClick={onMore} {...pressable(onMore)}>
        {list.status === 'error' ? `${list.error?.message ?? '加载失败'}，点此重试` : '加载更多'}
      </View>
    )
  return <Text className="list-more">没有更多了</Text>
}
