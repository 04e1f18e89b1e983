import { Text, View } from '@tarojs/components'
import Taro, { useRouter } from '@tarojs/taro'
import { Action } from '../../components/Action'
import { Empty } from '../../components/States'
import { addressLine, maskedMobile } from '../../services/address'
import { addressStore, useAddresses } from '../../stores'
import { selectedAddress } from '../../stores/address'
import './index.scss'

/** The shopper's addresses: pick one for the order (`?select=1`, from checkout), add, edit or delete. */
export default function Addresses() {
  const { params } = useRouter()
  const selecting = params['select'] === '1'
  const entries = useAddresses((s) => s.entries)
  const chosen = useAddresses(selectedAddress)

  function choose(id: string): void {
    addressStore.getState().select(id)
    if (selecting) void Taro.navigateBack()
  }

  async function remove(id: string): Promise<void> {
    const { confirm } = await Taro.showModal({ title: '删除这个地址？', content: '已下的订单不受影响', confirmText: '删除', confirmColor: '#d4272c' })
    if (confirm) addressStore.getState().remove(id)
  }

  return (
    <View className="addresses">
      {entries.length === 0 ? <Empty text="还没有收货地址" /> : null}
      {entries.map((entry) => (
        <View key={entry.id} className={`address-row ${chosen?.id === entry.id ? 'address-row--chosen' : ''}`}>
          <View className="address-row__body" onClick={() => choose(entry.id)} ariaRole="button">
            <View className="address-row__who">
              <Text className="address-row__name">{entry.recipient}</Text>
              <Text className="address-row__mobile">{maskedMobile(entry.mobile)}</Text>
              {chosen?.id === entry.id ? <Text className="address-row__tag">当前使用</Text> : null}
            </View>
            <Text className="address-row__line">{addressLine(entry)}</Text>
          </View>
          <View className="address-row__actions">
            <Action small onClick={() => void Taro.navigateTo({ url: `/pages/address/edit?id=${entry.id}` })}>
              编辑
            </Action>
            <Action small onClick={() => void remove(entry.id)}>
              删除
            </Action>
          </View>
        </View>
      ))}
      <View className="addresses__bar">
        <Action kind="primary" className="addresses__add" onClick={() => void Taro.navigateTo({ url: '/pages/address/edit' })}>
          新增收货地址
        </Action>
      </View>
    </View>
  )
}
