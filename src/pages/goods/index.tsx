import { Image, ScrollView, Text, View } from '@tarojs/components'
import Taro, { useRouter, useShareAppMessage } from '@tarojs/taro'
import { useEffect, useState } from 'react'
import type { GoodsView } from '../../../cloud/payment/contracts'
import { Action } from '../../components/Action'
import { GoodsImage } from '../../components/GoodsImage'
import { Price } from '../../components/Price'
import { pressable } from '../../components/pressable'
import { ErrorRetry, Skeleton } from '../../components/States'
import { cartStore, useCart, useGoods } from '../../stores'
import { cartCount } from '../../stores/cart'
import { galleryRegion, pageAt } from './gallery'
import cartIcon from '../../assets/tab/cart.png'
import './index.scss'

const toShop = (): void => void Taro.switchTab({ url: '/pages/index/index' })
const toCart = (): void => void Taro.switchTab({ url: '/pages/cart/index' })

function addToCart(goods: GoodsView): void {
  const added = cartStore.getState().add(goods)
  void Taro.showToast({ title: added ? '已加入购物车' : '购物车已满（最多 20 种）', icon: added ? 'success' : 'none' })
}

/**
 * Square pictures, the width of the screen; several swipe one page at a time with a "2/3"
 * counter (dots vanish on light pictures). A paging scroll-view rather than `Swiper`: the same
 * gesture, and the mini program's package is 6.9 KB smaller without swiper's templates
 * (docs/benchmarks.md). Paging: `pagingEnabled` in WeChat, CSS scroll snapping on H5.
 */
function Pictures({ goods }: { goods: GoodsView }) {
  const pics = goods.pics.length > 0 ? goods.pics : [goods.pic]
  const [current, setCurrent] = useState(0)
  if (pics.length === 1) return <GoodsImage className="goods-detail__pic goods-detail__pic--single" src={pics[0] ?? ''} alt={goods.name} />
  return (
    <View className="goods-detail__gallery">
      <ScrollView
        className="goods-detail__swiper"
        // A named region; on H5 keyboard users can reach it (arrow keys then page through it).
        // Taro's ScrollView types know neither role nor tabIndex, hence the spread.
        {...galleryRegion(`${goods.name}的图片，共 ${pics.length} 张，左右滑动查看`)}
        scrollX
        enhanced
        pagingEnabled
        showScrollbar={false}
        onScroll={(e) => setCurrent(pageAt(e.detail.scrollLeft, e.detail.scrollWidth, pics.length))}
      >
        {pics.map((pic, i) => (
          <View className="goods-detail__slide" key={pic}>
            <GoodsImage className="goods-detail__pic" src={pic} alt={`${goods.name}，第 ${i + 1} 张图，共 ${pics.length} 张`} />
          </View>
        ))}
      </ScrollView>
      {/* Each picture's alt already says which it is; the counter is for the eye. */}
      <Text className="goods-detail__counter" aria-hidden="true">
        {current + 1}/{pics.length}
      </Text>
    </View>
  )
}

/** A goods item the shop does not sell (any more): said plainly, with the way back. */
function Gone({ message }: { message: string }) {
  return (
    <View className="goods-detail__gone">
      <Text className="goods-detail__gone-text">{message}</Text>
      <Action kind="primary" className="goods-detail__gone-action" onClick={toShop}>
        去逛逛其他商品
      </Action>
    </View>
  )
}

function GonePage({ message }: { message: string }) {
  return (
    <View className="goods-detail" role="main">
      <View className="goods-detail__card">
        <Gone message={message} />
      </View>
    </View>
  )
}

/** The cart, as a small link in the bar with how many pieces it holds. */
function CartLink({ count }: { count: number }) {
  return (
    <View className="goods-detail__cart" role="link" aria-label={count > 0 ? `购物车，已有 ${count} 件` : '购物车'} onClick={toCart} {...pressable(toCart)}>
      <Image className="goods-detail__cart-icon" src={cartIcon} mode="aspectFit" nativeProps={{ alt: '' }} />
      <Text className="goods-detail__cart-text" aria-hidden="true">
        购物车
      </Text>
      {count > 0 ? (
        <Text className="goods-detail__badge" aria-hidden="true">
          {count > 99 ? '99+' : count}
        </Text>
      ) : null}
    </View>
  )
}

export default function GoodsPage() {
  const { params } = useRouter()
  const id = params['id'] ?? ''
  const entry = useGoods((s) => s.detail[id])
  const loadGoods = useGoods((s) => s.loadGoods)
  const inCart = useCart((s) => cartCount(s.lines))
  const goods = entry?.goods ?? null

  useEffect(() => {
    if (id) void loadGoods(id)
  }, [id, loadGoods])

  useShareAppMessage(() => ({ title: goods?.name ?? '小店好物', path: `/pages/goods/index?id=${encodeURIComponent(id)}` }))

  if (!id) return <GonePage message="没有找到这件商品" />
  if (!goods) {
    if (entry?.status === 'error') {
      if (entry.error?.code === 'GOODS_NOT_FOUND' || entry.error?.code === 'INVALID_ARGUMENT') return <GonePage message="商品不存在或已下架" />
      return <ErrorRetry message={entry.error?.message ?? '加载失败'} onRetry={() => void loadGoods(id)} />
    }
    return <Skeleton rows={1} />
  }
  const buyNow = (): void => void Taro.navigateTo({ url: `/pages/checkout/index?goodsId=${encodeURIComponent(goods._id)}&quantity=1` })
  return (
    <View className="goods-detail goods-detail--with-bar" role="main">
      <Pictures goods={goods} />
      <View className="goods-detail__card goods-detail__summary">
        <View className="goods-detail__price">
          {/* Off sale: the price in grey and said at once, not only at the bottom. */}
          <Price fen={goods.priceFen} size="display" className={goods.onSale ? '' : 'price--muted'} />
          {goods.onSale ? null : <Text className="goods-detail__tag">已下架</Text>}
        </View>
        <View className="goods-detail__name" role="heading" aria-level="1">
          <Text>{goods.name}</Text>
        </View>
        {goods.description ? <Text className="goods-detail__desc">{goods.description}</Text> : null}
      </View>
      {goods.onSale ? (
        <View className="goods-detail__card goods-detail__facts">
          <View className="goods-detail__fact">
            <Text className="goods-detail__fact-label">配送</Text>
            <Text className="goods-detail__fact-text">全国包邮，付款后 48 小时内发货</Text>
          </View>
          <View className="goods-detail__fact">
            <Text className="goods-detail__fact-label">售后</Text>
            <Text className="goods-detail__fact-text">未发货可随时取消并全额退款</Text>
          </View>
        </View>
      ) : null}
      {goods.onSale ? (
        <View className="goods-detail__bar">
          <CartLink count={inCart} />
          <Action className="goods-detail__add" label={`加入购物车：${goods.name}`} onClick={() => addToCart(goods)}>
            加入购物车
          </Action>
          <Action kind="primary" className="goods-detail__buy" label={`立即购买：${goods.name}`} onClick={buyNow}>
            立即购买
          </Action>
        </View>
      ) : (
        // Where the buy buttons would be: why there are none, and the way on.
        <View className="goods-detail__bar goods-detail__bar--off">
          <Text className="goods-detail__off-text">该商品已下架，暂时不能购买</Text>
          <Action kind="primary" className="goods-detail__off-action" onClick={toShop}>
            去逛逛其他商品
          </Action>
        </View>
      )}
    </View>
  )
}
