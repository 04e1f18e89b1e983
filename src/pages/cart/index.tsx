import { Text, View } from '@tarojs/components'
import { Action } from '../../components/Action'
import Taro from '@tarojs/taro'
import { GoodsImage } from '../../components/GoodsImage'
import { Price } from '../../components/Price'
import { pressable } from '../../components/pressable'
import { Empty } from '../../components/States'
import { Stepper } from '../../components/Stepper'
import { cartStore, useCart } from '../../stores'
import { cartCount, cartTotalFen } from '../../stores/cart'
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
    <View className="cart" role="main">
      {lines.map((line) => (
        <View key={line.goodsId} className="cart-line">
          <GoodsImage className="cart-line__pic" src={line.pic} alt={line.name} />
          <View className="cart-line__body">
            <View className="cart-line__head">
              <Text className="cart-line__name">{line.name}</Text>
              <View
                className="cart-line__remove"
                role="button"
                aria-label={`删除 ${line.name}`}
                onClick={() => remove(line.goodsId)}
                {...pressable(() => remove(line.goodsId))}
              >
                <Text aria-hidden="true">删除</Text>
              </View>
            </View>
            <Text className="cart-line__price">单价 {formatFen(line.priceFen)}</Text>
            <View className="cart-line__row">
              <Price className="cart-line__amount" fen={line.priceFen * line.quantity} />
              <Stepper value={line.quantity} label={`${line.name} 数量`} onChange={(q) => setQuantity(line.goodsId, q)} />
            </View>
          </View>
        </View>
      ))}
      <Text className="cart__note">实际金额以下单时商品价格为准</Text>
      <View className="cart__bar">
        <View className="cart__total">
          <Text className="cart__total-label">合计</Text>
          <Price className="cart__total-amount" fen={cartTotalFen(lines)} size="large" />
          <Text className="cart__count">共 {cartCount(lines)} 件</Text>
        </View>
        <Action kind="primary" className="cart__checkout" onClick={checkout}>
          去结算
        </Action>
      </View>
    </View>
  )
}
