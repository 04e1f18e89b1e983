import { useEffect, type ReactNode } from 'react'
import { Button, Image, Text, View } from '@tarojs/components'
import Taro, { usePullDownRefresh } from '@tarojs/taro'
import type { Goods } from '../../services/goods'
import { useGoodsStore } from '../../stores/goods'
import { formatFen } from '../../utils/money'

import './index.scss'

function GoodsCard({ goods }: { goods: Goods }) {
  return (
    <View className='goods-card'>
      <Image className='goods-card__pic' src={goods.pic} mode='aspectFill' lazyLoad />
      <View className='goods-card__body'>
        <Text className='goods-card__name'>{goods.name}</Text>
        <Text className='goods-card__desc'>{goods.description}</Text>
        <Text className='goods-card__price'>{formatFen(goods.priceFen)}</Text>
      </View>
    </View>
  )
}

export default function Index() {
  const items = useGoodsStore(s => s.items)
  const status = useGoodsStore(s => s.status)
  const load = useGoodsStore(s => s.load)

  useEffect(() => {
    void load()
  }, [load])

  usePullDownRefresh(() => {
    void load().then(() => {
      Taro.stopPullDownRefresh()
      if (useGoodsStore.getState().status === 'error') {
        void Taro.showToast({ title: '刷新失败', icon: 'none' })
      }
    })
  })

  let body: ReactNode
  if (items.length > 0) {
    // Once goods are shown, a running or failed refresh keeps them on screen.
    body = (
      <View className='index__list'>
        {items.map(goods => <GoodsCard key={goods._id} goods={goods} />)}
      </View>
    )
  } else if (status === 'idle' || status === 'loading') {
    body = <View className='index__state'>加载中…</View>
  } else if (status === 'error') {
    body = (
      <View className='index__state'>
        <Text>加载失败，请检查网络后重试</Text>
        <Button className='index__retry' size='mini' onClick={() => void load()}>重试</Button>
      </View>
    )
  } else {
    body = <View className='index__state'>暂无商品</View>
  }

  return <View className='index'>{body}</View>
}
