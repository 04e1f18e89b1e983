import { Text, View } from '@tarojs/components'
import Taro, { usePullDownRefresh, useReachBottom, useShareAppMessage } from '@tarojs/taro'
import { useEffect } from 'react'
import type { GoodsView } from '../../../cloud/payment/contracts'
import { Action } from '../../components/Action'
import { GoodsImage } from '../../components/GoodsImage'
import { Price } from '../../components/Price'
import { pressable } from '../../components/pressable'
import { Empty, ErrorRetry, Skeleton } from '../../components/States'
import { cartStore, useGoods } from '../../stores'
import './index.scss'

/** What a shared home page says in the chat (the mini program's share card). */
const SHARE = { title: '小店 · 咖啡、茶饮和生活好物', path: '/pages/index/index' }

function addToCart(goods: GoodsView): void {
  const added = cartStore.getState().add(goods)
  void Taro.showToast({ title: added ? '已加入购物车' : '购物车已满（最多 20 种）', icon: added ? 'success' : 'none' })
}

/** Buy one now: the confirm-order page with just this goods (the cart is left as it is). */
function buyNow(goods: GoodsView): void {
  void Taro.navigateTo({ url: `/pages/checkout/index?goodsId=${encodeURIComponent(goods._id)}&quantity=1` })
}

function openGoods(goods: GoodsView): void {
  void Taro.navigateTo({ url: `/pages/goods/index?id=${encodeURIComponent(goods._id)}` })
}

function GoodsCard({ goods }: { goods: GoodsView }) {
  return (
    <View className="goods-card">
      {/* The picture and the words open the goods; the buttons below act on it. */}
      <View className="goods-card__main" role="link" onClick={() => openGoods(goods)} {...pressable(() => openGoods(goods))}>
        <GoodsImage className="goods-card__pic" src={goods.pic} alt={goods.name} lazy />
        <View className="goods-card__body">
          <Text className="goods-card__name">{goods.name}</Text>
          {goods.description ? <Text className="goods-card__desc">{goods.description}</Text> : null}
          <Price className="goods-card__price" fen={goods.priceFen} size="large" />
        </View>
      </View>
      <View className="goods-card__actions">
        <Action small className="goods-card__add" label={`加入购物车：${goods.name}`} onClick={() => addToCart(goods)}>
          加入购物车
        </Action>
        <Action small kind="primary" className="goods-card__buy" label={`立即购买：${goods.name}`} onClick={() => buyNow(goods)}>
          立即购买
        </Action>
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
  useShareAppMessage(() => SHARE)

  if (items.length === 0) {
    if (status === 'idle' || status === 'loading') return <Skeleton />
    if (status === 'error') return <ErrorRetry message={error?.message ?? '加载失败'} onRetry={() => void load()} />
    return <Empty text="暂无商品" action="刷新" onAction={() => void load()} />
  }
  // Once goods are shown, a refresh that fails keeps them on screen and says so.
  return (
    <View className="index" role="main">
      {status === 'error' ? (
        <View className="index__banner" role="alert">
          {error?.message ?? '刷新失败'}
        </View>
      ) : null}
      <View className="index__head">
        <View className="index__title" role="heading" aria-level="1">
          小店好物
        </View>
        <Text className="index__subtitle">咖啡 · 茶饮 · 生活杂货，一分钱体验装先尝再买</Text>
      </View>
      <View className="index__list">
        {items.map((goods) => (
          <GoodsCard key={goods._id} goods={goods} />
        ))}
      </View>
    </View>
  )
}
