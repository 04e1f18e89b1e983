import { Text, View } from '@tarojs/components'
import Taro, { useRouter } from '@tarojs/taro'
import { Action } from '../../components/Action'
import { pressable } from '../../components/pressable'
import { Empty } from '../../components/States'
import { addressLine, maskedMobile } from '../../services/address'
import { addressStore, useAddresses } from '../../stores'
import { selectedAddress } from '../../stores/address'
import './index.scss'

/** $color-danger of styles/tokens.scss: the modal's API takes a colour, not a class. */
const DANGER = '#c62828'

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
    const { confirm } = await Taro.showModal({ title: '删除这个地址？', content: '已下的订单不受影响', confirmText: '删除', confirmColor: DANGER })
    if (confirm) addressStore.getState().remove(id)
  }

  const add = (): void => void Taro.navigateTo({ url: '/pages/address/edit' })
  return (
    <View className="addresses" role="main">
      <View className="visually-hidden" role="heading" aria-level="1">
        {selecting ? '选择收货地址' : '收货地址'}
      </View>
      {entries.length === 0 ? <Empty text="还没有收货地址，新增一个吧" /> : null}
      {entries.map((entry) => {
        const isChosen = chosen?.id === entry.id
        const pick = (): void => choose(entry.id)
        return (
          <View key={entry.id} className={`address-row ${isChosen ? 'address-row--chosen' : ''}`}>
            <View
              className="address-row__body"
              role="button"
              aria-label={`${isChosen ? '当前使用：' : selecting ? '使用这个地址：' : '设为当前地址：'}${entry.recipient}，${maskedMobile(entry.mobile)}，${addressLine(entry)}`}
              onClick={pick}
              {...pressable(pick)}
            >
              <View className="address-row__who">
                <Text className="address-row__name">{entry.recipient}</Text>
                <Text className="address-row__mobile">{maskedMobile(entry.mobile)}</Text>
                {isChosen ? <Text className="address-row__tag">当前使用</Text> : null}
              </View>
              <Text className="address-row__line">{addressLine(entry)}</Text>
            </View>
            <View className="address-row__actions">
              <Action
                small
                className="address-row__action"
                label={`编辑：${entry.recipient} ${addressLine(entry)}`}
                onClick={() => void Taro.navigateTo({ url: `/pages/address/edit?id=${entry.id}` })}
              >
                编辑
              </Action>
              <Action
                small
                label={`删除：${entry.recipient} ${addressLine(entry)}`}
                className="address-row__action address-row__remove"
                onClick={() => void remove(entry.id)}
              >
                删除
              </Action>
            </View>
          </View>
        )
      })}
      <View className="addresses__bar">
        <Action kind="primary" block className="addresses__add" onClick={add}>
          新增收货地址
        </Action>
      </View>
    </View>
  )
}
