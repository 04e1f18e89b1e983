import { Text, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { pressable } from '../../components/pressable'
import './StaffNav.scss'

// The console's three sections side by side at the top of each section's page. Switching
// replaces the page (redirectTo), so back from a section never walks through the others.

const SECTIONS = [
  { key: 'orders', label: '订单', url: '/pages/staff/orders/index' },
  { key: 'goods', label: '商品', url: '/pages/staff/goods/index' },
  { key: 'reconcile', label: '对账', url: '/pages/staff/reconcile/index' },
] as const

export type StaffSection = (typeof SECTIONS)[number]['key']

export function StaffNav({ current }: { current: StaffSection }) {
  return (
    <View className="staff-nav" role="navigation" aria-label="商家后台">
      {SECTIONS.map((section) => {
        const on = section.key === current
        const go = (): void => {
          if (!on) void Taro.redirectTo({ url: section.url })
        }
        return (
          <View
            key={section.key}
            className={`staff-nav__item ${on ? 'staff-nav__item--on' : ''}`}
            role="link"
            aria-current={on ? 'page' : undefined}
            onClick={go}
            {...pressable(go)}
          >
            <Text className="staff-nav__text">{section.label}</Text>
          </View>
        )
      })}
    </View>
  )
}
