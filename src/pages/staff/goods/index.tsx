import { Text, View } from '@tarojs/components'
import Taro, { useDidShow, usePullDownRefresh, useReachBottom } from '@tarojs/taro'
import { useEffect } from 'react'
import type { StaffGoodsView } from '../../../../cloud/payment/staffContracts'
import { Action } from '../../../components/Action'
import { GoodsImage } from '../../../components/GoodsImage'
import { Price } from '../../../components/Price'
import { pressable } from '../../../components/pressable'
import { Empty, ErrorRetry, ListFooter, Skeleton } from '../../../components/States'
import { Badge } from '../Badge'
import { Forbidden } from '../Forbidden'
import { StaffNav } from '../StaffNav'
import { goodsStore, useGoods } from './store'
import '../staff.scss'
import './index.scss'

const openEdit = (id?: string): void =>
  void Taro.navigateTo({ url: id ? `/pages/staff/goods/edit/index?id=${encodeURIComponent(id)}` : '/pages/staff/goods/edit/index' })

/** On or off sale after a confirmation: off sale stops shoppers ordering it at once. */
async function toggle(goods: StaffGoodsView): Promise<void> {
  const onSale = !goods.onSale
  const { confirm } = await Taro.showModal({
    title: onSale ? '上架商品' : '下架商品',
    content: onSale ? `上架「${goods.name}」后买家即可看到并购买。` : `下架「${goods.name}」后买家将看不到它，也无法再下单（已下的订单不受影响）。`,
    confirmText: onSale ? '确认上架' : '确认下架',
    cancelText: '取消',
  })
  if (!confirm) return
  const done = await goodsStore.getState().setOnSale(goods._id, onSale)
  if (done) void Taro.showToast({ title: onSale ? '已上架' : '已下架', icon: 'success' })
  else void Taro.showToast({ title: goodsStore.getState().toggling[goods._id]?.error?.message ?? '操作失败，请重试', icon: 'none' })
}

function Row({ goods }: { goods: StaffGoodsView }) {
  const busy = useGoods((s) => s.toggling[goods._id]?.busy ?? false)
  const open = (): void => openEdit(goods._id)
  const pic = goods.picUrls[0] || goods.pics[0] || ''
  return (
    <View className={`staff-goods ${goods.onSale ? '' : 'staff-goods--off'}`} data-id={goods._id}>
      <View className="staff-goods__main" role="link" aria-label={`编辑：${goods.name}`} onClick={open} {...pressable(open)}>
        {pic ? <GoodsImage className="staff-goods__pic" src={pic} alt="" lazy /> : <View className="staff-goods__pic staff-goods__pic--none">无图</View>}
        <View className="staff-goods__text">
          <Text className="staff-goods__name">{goods.name}</Text>
          <View className="staff-goods__meta">
            <Price fen={goods.priceFen} size="small" />
            <Badge badge={goods.onSale ? { label: '在售', tone: 'paid' } : { label: '已下架', tone: 'unpaid' }} className="staff-goods__badge" />
          </View>
        </View>
      </View>
      <Action
        small
        kind={goods.onSale ? 'default' : 'primary'}
        loading={busy}
        label={`${goods.onSale ? '下架' : '上架'}：${goods.name}`}
        className="staff-goods__toggle"
        onClick={() => void toggle(goods)}
      >
        {goods.onSale ? '下架' : '上架'}
      </Action>
    </View>
  )
}

export default function StaffGoods() {
  const access = useGoods((s) => s.access)
  const list = useGoods((s) => s.list)
  const refresh = (): void => void goodsStore.getState().refresh()

  useDidShow(refresh)
  useEffect(() => {
    if (goodsStore.getState().list.status === 'idle') refresh()
  }, [])
  usePullDownRefresh(
    () =>
      void goodsStore
        .getState()
        .refresh()
        .then(() => Taro.stopPullDownRefresh()),
  )
  useReachBottom(() => void goodsStore.getState().loadMore())

  if (access === 'forbidden') return <Forbidden />
  if (access === 'unknown') {
    if (list.status === 'error') return <ErrorRetry message={list.error?.message ?? '加载失败'} onRetry={refresh} />
    return <Skeleton rows={4} />
  }

  const onSale = list.items.filter((goods) => goods.onSale).length
  let content
  if (list.items.length === 0) {
    if (list.status === 'error') content = <ErrorRetry message={list.error?.message ?? '加载失败'} onRetry={refresh} />
    else if (list.status === 'ready') content = <Empty text="还没有商品" action="新建商品" onAction={() => openEdit()} />
    else content = <Skeleton rows={3} />
  } else {
    content = (
      <View className="staff-goods-list">
        {list.items.map((goods) => (
          <Row key={goods._id} goods={goods} />
        ))}
        <ListFooter list={list} onMore={() => void (list.nextCursor ? goodsStore.getState().loadMore() : goodsStore.getState().refresh())} />
      </View>
    )
  }

  return (
    <View className="staff-goods-page" role="main">
      <StaffNav current="goods" />
      <View className="staff-goods-head">
        <View className="staff-goods-head__title" role="heading" aria-level="1">
          商品管理
        </View>
        <Text className="staff-goods-head__count">
          {list.nextCursor ? `已加载 ${list.items.length} 件` : `共 ${list.items.length} 件`}，在售 {onSale} 件
        </Text>
        <Action small kind="primary" className="staff-goods-head__new" onClick={() => openEdit()}>
          新建商品
        </Action>
      </View>
      {content}
    </View>
  )
}
