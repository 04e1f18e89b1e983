import { Image, Text, View } from '@tarojs/components'
import { Action } from '../../components/Action'
import Taro from '@tarojs/taro'
import { Empty } from '../../components/States'
import { Stepper } from '../../components/Stepper'
import { cartStore, useCart } from '../../stores'
import { cartCount, cartTotalFen } from '../../stores/cart'
import { assetUrl } from '../../utils/assets'
import { formatFen } from '../../utils/money'
import './index.scss'

/** The confirm-order page takes the cart from here: address, note, then the order. */
function checkout(): void {
  if (cartStore.getState().lines.length > 0) void Taro.navigateTo({ url: '/pages/checkout/index?from=cart' })
}

export default function Cart() {
  const lines = useCart((s) => s.lines)
  const setQuantity = useCart((s) => s.setQuantity)
  const remove = useCart((s) => s.remove)

  if (lines.length === 0) return <Empty text="购物车是空的" action="去逛逛" onAction={() => void Taro.switchTab({ url: '/pages/index/index' })} />
  return (
    <View className="cart">
      {lines.map((line) => (
        <View key={line.goodsId} className="cart-line">
          <Image className="cart-line__pic" src={assetUrl(line.pic)} mode="aspectFill" />
          <View className="cart-line__body">
            <Text className="cart-line__name">{line.name}</Text>
            <Text className="cart-line__price">{formatFen(line.priceFen)}</Text>
            <View className="cart-line__row">
              <Stepper value={line.quantity} onChange={(q) => setQuantity(line.goodsId, q)} />
              <Text className="cart-line__amount">{formatFen(line.priceFen * line.quantity)}</Text>
            </View>
          </View>
          <Text className="cart-line__remove" onClick={() => remove(line.goodsId)}>
            删除
          </Text>
        </View>
      ))}
      <View className="cart__bar">
        <Text className="cart__total">
          共 {cartCount(lines)} 件，合计 <Text className="cart__total-amount">{formatFen(cartTotalFen(lines))}</Text>
        </Text>
        <Action kind="primary" className="cart__checkout" onClick={checkout}>
          去结算
        </Action>
      </View>
      <Text className="cart__note">实际金额以下单时商品价格为准</Text>
    </View>
  )
}
