import { Text, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { Action } from '../../components/Action'

/** What a shopper who opens a staff page sees (the server said FORBIDDEN): no console, a way back. */
export function Forbidden() {
  return (
    <View className="staff-forbidden" role="main">
      <View className="staff-forbidden__title" role="heading" aria-level="1">
        无权限
      </View>
      <Text className="staff-forbidden__text">此页面仅供商家工作人员使用</Text>
      <Action kind="primary" className="staff-forbidden__button" onClick={() => void Taro.switchTab({ url: '/pages/index/index' })}>
        返回商城
      </Action>
    </View>
  )
}
