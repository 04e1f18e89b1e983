import { Image, Swiper, SwiperItem, Text, View } from '@tarojs/components'
import Taro, { useRouter, useShareAppMessage } from '@tarojs/taro'
import { useEffect } from 'react'
import type { GoodsView } from '../../../cloud/payment/contracts'
import { Action } from '../../components/Action'
import { ErrorRetry, Skeleton } from '../../components/States'
import { cartStore, useCart, useGoods } from '../../stores'
import { cartCount } from '../../stores/cart'
import { assetUrl } from '../../utils/assets'
import { formatFen } from '../../utils/money'
import './index.scss'

const toShop = (): void => void Taro.switchTab({ url: '/pages/index/index' })

function addToCart(goods: GoodsView): void {
  const added = cartStore.getState().add(goods)
  void Taro.showToast({ title: added ? '已加入购物车' : '购物车已满（最多 20 种）', icon: added ? 'success' : 'none' })
}

function Pictures({ goods }: { goods: GoodsView }) {
  const pics = goods.pics.length > 0 ? goods.pics : [goods.pic]
  if (pics.length === 1) return <Image className="goods-detail__pic" src={assetUrl(pics[0] ?? '')} mode="aspectFill" ariaLabel={goods.name} />
  return (
    <Swiper className="goods-detail__swiper" indicatorDots indicatorActiveColor="#ffffff" indicatorColor="rgba(0, 0, 0, 0.3)" circular>
      {pics.map((pic, i) => (
        <SwiperItem key={pic}>
          <Image className="goods-detail__pic" src={assetUrl(pic)} mode="aspectFill" ariaLabel={`${goods.name} 第 ${i + 1} 张图`} />
        </SwiperItem>
      ))}
    </Swiper>
  )
}

/** A goods item the shop does not sell (any more): said plainly, with the way back. */
function Gone({ message }: { message: string }) {
  return (
    <View className="goods-detail__gone">
      <Text className="goods-detail__gone-text">{message}</Text>
      <Action kind="primary" onClick={toShop}>
        去逛逛其他商品
      </Action>
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

  if (!id) return <Gone message="没有找到这件商品" />
  if (!goods) {
    if (entry?.status === 'error') {
      if (entry.error?.code === 'GOODS_NOT_FOUND' || entry.error?.code === 'INVALID_ARGUMENT') return <Gone message="商品不存在或已下架" />
      return <ErrorRetry message={entry.error?.message ?? '加载失败'} onRetry={() => void loadGoods(id)} />
    }
    return <Skeleton rows={1} />
  }
  return (
    <View className="goods-detail">
      <Pictures goods={goods} />
      <View className="goods-detail__card">
        <Text className="goods-detail__price">{formatFen(goods.priceFen)}</Text>
        <Text className="goods-detail__name">{goods.name}</Text>
        {goods.description ? <Text className="goods-detail__desc">{goods.description}</Text> : null}
      </View>
      {goods.onSale ? (
        <View className="goods-detail__card goods-detail__facts">
          <Text>配送：全国包邮，付款后 48 小时内发货</Text>
          <Text>售后：未发货可随时取消并全额退款</Text>
        </View>
      ) : (
        <Gone message="该商品已下架，暂时不能购买" />
      )}
      {goods.onSale ? (
        <View className="goods-detail__bar">
          <View className="goods-detail__cart" onClick={() => void Taro.switchTab({ url: '/pages/cart/index' })}>
            <Text>购物车</Text>
            {inCart > 0 ? <Text className="goods-detail__badge">{inCart > 99 ? '99+' : inCart}</Text> : null}
          </View>
          <Action className="goods-detail__add" onClick={() => addToCart(goods)}>
            加入购物车
          </Action>
          <Action
            kind="primary"
            className="goods-detail__buy"
            onClick={() => void Taro.navigateTo({ url: `/pages/checkout/index?goodsId=${encodeURIComponent(goods._id)}&quantity=1` })}
          >
            立即购买
          </Action>
        </View>
      ) : null}
    </View>
  )
}
