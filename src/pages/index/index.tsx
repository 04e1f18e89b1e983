import { Image, Text, View } from '@tarojs/components'
import Taro, { usePullDownRefresh, useReachBottom } from '@tarojs/taro'
import { useEffect } from 'react'
import type { GoodsView } from '../../../cloud/payment/contracts'
import { Action } from '../../components/Action'
import { Empty, ErrorRetry, Skeleton } from '../../components/States'
import { cartStore, useGoods } from '../../stores'
import { assetUrl } from '../../utils/assets'
import { formatFen } from '../../utils/money'
import './index.scss'

function addToCart(goods: GoodsView): void {
  const added = cartStore.getState().add(goods)
  void Taro.showToast({ title: added ? '已加入购物车' : '购物车已满（最多 20 种）', icon: added ? 'success' : 'none' })
}

/** Buy one now: the confirm-order page with just this goods (the cart is left as it is). */
function buyNow(goods: GoodsView): void {
  void Taro.navigateTo({ url: `/pages/checkout/index?goodsId=${encodeURIComponent(goods._id)}&quantity=1` })
}

function GoodsCard({ goods }: { goods: GoodsView }) {
  return (
    <View className="goods-card">
      <Image className="goods-card__pic" src={assetUrl(goods.pic)} mode="aspectFill" lazyLoad />
      <View className="goods-card__body">
        <Text className="goods-card__name">{goods.name}</Text>
        <Text className="goods-card__desc">{goods.description}</Text>
        <Text className="goods-card__price">{formatFen(goods.priceFen)}</Text>
        <View className="goods-card__actions">
          <Action small className="goods-card__add" onClick={() => addToCart(goods)}>
            加入购物车
          </Action>
          <Action small kind="primary" className="goods-card__buy" onClick={() => buyNow(goods)}>
            立即购买
          </Action>
        </View>
      </View>
    </View>
  )
}

export default function Index() {
  const items = useGoods((s) => s.items)
  const status = useGoods((s) => s.status)
  const error = useGoods((s) => s.error)
  const load = useGoods((s) => s.load)
  const loadMore = useGoods((s) => s.loadMore)

  useEffect(() => {
    void load()
  }, [load])

  usePullDownRefresh(() => {
    void load().then(() => Taro.stopPullDownRefresh())
  })
  useReachBottom(() => void loadMore())

  if (items.length === 0) {
    if (status === 'idle' || status === 'loading') return <Skeleton />
    if (status === 'error') return <ErrorRetry message={error?.message ?? '加载失败'} onRetry={() => void load()} />
    return <Empty text="暂无商品" action="刷新" onAction={() => void load()} />
  }
  // Once goods are shown, a refresh that fails keeps them on screen and says so.
  return (
    <View className="index">
      {status === 'error' ? <Text className="index__banner">{error?.message ?? '刷新失败'}</Text> : null}
      <View className="index__list">
        {items.map((goods) => (
          <GoodsCard key={goods._id} goods={goods} />
        ))}
      </View>
    </View>
  )
}
