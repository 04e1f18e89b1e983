import { Input, Picker, Text, View } from '@tarojs/components'
import Taro, { useDidShow, usePullDownRefresh, useReachBottom } from '@tarojs/taro'
import dayjs from 'dayjs'
import { useEffect, useState } from 'react'
import { type FulfilmentState, type OrderStatus } from '../../../../cloud/payment/contracts'
import { STAFF_TOTALS_SCAN_LIMIT } from '../../../../cloud/payment/staffContracts'
import { Action } from '../../../components/Action'
import { Price } from '../../../components/Price'
import { pressable } from '../../../components/pressable'
import { Empty, ErrorRetry, ListFooter, Skeleton } from '../../../components/States'
import type { StaffOrderRow } from '../../../services/staff'
import type { StaffFilter, StaffList } from '../../../stores/staff'
import { formatTime } from '../../../utils/time'
import { Badge } from '../Badge'
import { Forbidden } from '../Forbidden'
import { staffBadge, UPLOAD_BADGES } from '../labels'
import { staffStore, useStaff } from '../store'
import { StaffNav } from '../StaffNav'
import '../staff.scss'
import './index.scss'

const STATUS_CHIPS: Array<[OrderStatus | undefined, string]> = [
  [undefined, '全部'],
  ['NOTPAY', '待付款'],
  ['SUCCESS', '已支付'],
  ['REFUND', '有退款'],
  ['CLOSED', '已关闭'],
]
const FULFILMENT_CHIPS: Array<[FulfilmentState | undefined, string]> = [
  [undefined, '全部'],
  ['PENDING', '待发货'],
  ['SHIPPED', '已发货'],
  ['RECEIVED', '已收货'],
  ['CANCELLED', '已取消'],
]
const DAY = 'YYYY-MM-DD'

/** The day a picker shows for an instant of the filter (local time), or ''. */
const dayOf = (iso: string | undefined): string => (iso ? dayjs(iso).format(DAY) : '')
/** The filter's bounds: from the start of the first day to the start of the day after the last (both in local time). */
const fromOf = (day: string): string => dayjs(day).startOf('day').toISOString()
const toOf = (day: string): string => dayjs(day).add(1, 'day').startOf('day').toISOString()

const openOrder = (outTradeNo: string): void => void Taro.navigateTo({ url: `/pages/staff/order/index?no=${encodeURIComponent(outTradeNo)}` })

function Chips<T extends string>({
  label,
  chips,
  value,
  onPick,
}: {
  label: string
  chips: Array<[T | undefined, string]>
  value: T | undefined
  onPick: (next: T | undefined) => void
}) {
  return (
    <View className="staff-filter__row">
      <Text className="staff-filter__label" aria-hidden="true">
        {label}
      </Text>
      <View className="staff-filter__chips" role="radiogroup" aria-label={label}>
        {chips.map(([key, text]) => {
          const on = key === value
          const pick = (): void => onPick(key)
          return (
            <View
              key={text}
              className={`staff-chip ${on ? 'staff-chip--on' : ''}`}
              role="radio"
              aria-checked={on ? 'true' : 'false'}
              onClick={pick}
              {...pressable(pick)}
            >
              <Text className="staff-chip__text">{text}</Text>
            </View>
          )
        })}
      </View>
    </View>
  )
}

function DatePick({ label, value, start, end, onPick }: { label: string; value: string; start?: string; end?: string; onPick: (day: string) => void }) {
  return (
    <Picker mode="date" value={value || dayjs().format(DAY)} start={start} end={end} onChange={(event) => onPick(String(event.detail.value))}>
      <View className={`staff-date ${value ? 'staff-date--set' : ''}`} role="button" aria-label={`${label}：${value || '不限'}`}>
        <Text className="staff-date__text">{value || label}</Text>
      </View>
    </Picker>
  )
}

function Totals({ list }: { list: StaffList }) {
  const totals = list.totals
  if (!totals) return null
  return (
    <View className="staff-totals" role="group" aria-label="筛选范围内合计">
      <View className="staff-totals__cell">
        <Text className="staff-totals__label">订单</Text>
        <Text className="staff-totals__value">{totals.orders} 笔</Text>
      </View>
      <View className="staff-totals__cell">
        <Text className="staff-totals__label">实收</Text>
        <Price fen={totals.paidFee} size="small" className="staff-totals__money" />
      </View>
      <View className="staff-totals__cell">
        <Text className="staff-totals__label">已退</Text>
        <Price fen={totals.refundedFee} size="small" className="staff-totals__money staff-totals__money--refund" />
      </View>
      {totals.capped ? <Text className="staff-totals__capped">订单较多，合计只统计最近 {STAFF_TOTALS_SCAN_LIMIT} 笔</Text> : null}
    </View>
  )
}

function Row({ row }: { row: StaffOrderRow }) {
  const open = (): void => openOrder(row.outTradeNo)
  const upload = row.shippingUpload ? UPLOAD_BADGES[row.shippingUpload] : null
  return (
    <View className="staff-row" role="link" data-no={row.outTradeNo} onClick={open} {...pressable(open)}>
      <View className="staff-row__head">
        <Text className="staff-row__no">{row.outTradeNo}</Text>
        <Badge badge={staffBadge(row)} />
      </View>
      <View className="staff-row__body">
        <View className="staff-row__who">
          <Text className="staff-row__recipient">{row.recipient ? `${row.recipient} ${row.mobile ?? ''}` : '无收货信息'}</Text>
          <Text className="staff-row__time">{formatTime(row.createdAt)}</Text>
        </View>
        <View className="staff-row__amount">
          <Price fen={row.paidFee > 0 ? row.paidFee : row.totalFee} size="small" />
          {row.refundedFee > 0 ? (
            <Text className="staff-row__refunded">
              已退 <Price fen={row.refundedFee} size="small" className="staff-row__refunded-price" />
            </Text>
          ) : null}
        </View>
      </View>
      {row.afterSalePending || upload ? (
        <View className="staff-row__tags">
          {row.afterSalePending ? <Badge badge={{ label: '售后待处理', tone: 'unpaid' }} /> : null}
          {upload ? <Badge badge={upload} /> : null}
        </View>
      ) : null}
    </View>
  )
}

export default function StaffOrders() {
  const access = useStaff((s) => s.access)
  const list = useStaff((s) => s.list)
  const [typed, setTyped] = useState(() => staffStore.getState().list.filter.search ?? '')
  const filter = list.filter
  const search = (next: StaffFilter): void => void staffStore.getState().search(next)

  useDidShow(() => void staffStore.getState().refresh())
  useEffect(() => {
    if (staffStore.getState().list.status === 'idle') void staffStore.getState().refresh()
  }, [])
  usePullDownRefresh(() => {
    void staffStore
      .getState()
      .refresh()
      .then(() => Taro.stopPullDownRefresh())
  })
  useReachBottom(() => void staffStore.getState().loadMore())

  if (access === 'forbidden') return <Forbidden />
  // Nothing of the console before the server has said this is staff.
  if (access === 'unknown') {
    if (list.status === 'error') return <ErrorRetry message={list.error?.message ?? '加载失败'} onRetry={() => void staffStore.getState().refresh()} />
    return <Skeleton rows={4} />
  }

  const submit = (): void => search({ ...filter, search: typed.trim() })
  const clear = (): void => {
    setTyped('')
    search({})
  }
  const filtered = Boolean(filter.status || filter.fulfilment || filter.from || filter.to || filter.search)
  const fromDay = dayOf(filter.from)
  // `to` is the start of the day after the last one shown.
  const toDay = filter.to ? dayjs(filter.to).subtract(1, 'day').format(DAY) : ''

  let content
  if (list.rows.length === 0) {
    if (list.status === 'loading' || list.status === 'idle') content = <Skeleton rows={3} />
    // A search the server cannot read is fixed in the box, not retried as it is.
    else if (list.status === 'error' && list.error?.code === 'INVALID_ARGUMENT')
      content = <Empty text={list.error.message} action="清除搜索" onAction={clear} />
    else if (list.status === 'error') content = <ErrorRetry message={list.error?.message ?? '加载失败'} onRetry={() => void staffStore.getState().refresh()} />
    else content = <Empty text={filtered ? '没有符合条件的订单' : '还没有订单'} {...(filtered ? { action: '清除筛选', onAction: clear } : {})} />
  } else {
    content = (
      <View className="staff-list">
        {list.rows.map((row) => (
          <Row key={row.outTradeNo} row={row} />
        ))}
        <ListFooter list={list} onMore={() => void (list.nextCursor ? staffStore.getState().loadMore() : staffStore.getState().refresh())} />
      </View>
    )
  }

  return (
    <View className="staff-orders" role="main">
      <StaffNav current="orders" />
      <View className="visually-hidden" role="heading" aria-level="1">
        订单管理
      </View>
      <View className="staff-search" role="search">
        <Input
          className="staff-search__input"
          value={typed}
          type="text"
          confirmType="search"
          maxlength={40}
          placeholder="订单号或收货人手机号"
          placeholderClass="staff-search__placeholder"
          ariaLabel="搜索订单号或收货人手机号"
          nativeProps={{ 'aria-label': '搜索订单号或收货人手机号', inputmode: 'search' }}
          onInput={(event) => setTyped(event.detail.value)}
          onConfirm={submit}
        />
        <Action small kind="primary" className="staff-search__button" onClick={submit}>
          搜索
        </Action>
      </View>
      <View className="staff-filter">
        <Chips label="状态" chips={STATUS_CHIPS} value={filter.status} onPick={(status) => search({ ...filter, status })} />
        <Chips label="发货" chips={FULFILMENT_CHIPS} value={filter.fulfilment} onPick={(fulfilment) => search({ ...filter, fulfilment })} />
        <View className="staff-filter__row">
          <Text className="staff-filter__label" aria-hidden="true">
            日期
          </Text>
          <View className="staff-filter__dates">
            <DatePick label="开始日期" value={fromDay} end={toDay || undefined} onPick={(day) => search({ ...filter, from: fromOf(day) })} />
            <Text className="staff-filter__to">至</Text>
            <DatePick label="结束日期" value={toDay} start={fromDay || undefined} onPick={(day) => search({ ...filter, to: toOf(day) })} />
            {filter.from || filter.to ? (
              <View
                className="staff-filter__clear"
                role="button"
                aria-label="清除日期"
                onClick={() => search({ ...filter, from: undefined, to: undefined })}
                {...pressable(() => search({ ...filter, from: undefined, to: undefined }))}
              >
                清除
              </View>
            ) : null}
          </View>
        </View>
      </View>
      <Totals list={list} />
      {content}
    </View>
  )
}
