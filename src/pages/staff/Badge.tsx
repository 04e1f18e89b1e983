import { Text } from '@tarojs/components'
import '../../components/StatusBadge.scss'
import type { Badge as BadgeValue } from './labels'

/** A label in the shop's badge look (StatusBadge's tones), with the console's own words. */
export function Badge({ badge, className = '' }: { badge: BadgeValue; className?: string }) {
  return <Text className={`status-badge status-badge--${badge.tone} ${className}`}>{badge.label}</Text>
}
