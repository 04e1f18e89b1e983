import { Text, Textarea, View } from '@tarojs/components'
import Taro, { useRouter } from '@tarojs/taro'
import { useEffect, useState } from 'react'
import { ADDRESS_LIMITS, addressFieldProblem } from '../../../cloud/payment/contracts'
import { Action } from '../../components/Action'
import { Cashier } from '../../components/Cashier'
import { GoodsImage } from '../../components/GoodsImage'
import { Price } from '../../components/Price'
import { pressable } from '../../components/pressable'
import { Empty, ErrorRetry, Skeleton } from '../../components/States'
import { addressLine, maskedMobile } from '../../services/address'
import { addressStore, cartStore, ordersStore, pickAddress, useAddresses, useCart, useGoods, useOrders } from '../../stores'
import { selectedAddress } from '../../stores/address'
import type { CartLine } from '../../stores/cart'
import { cartTotalFen } from '../../stores/cart'
import { formatFen } from '../../utils/money'
import './index.scss'

/**
 * What is being bought: the cart (`?from=cart`), or one goods bought now (`?goodsId=&quantity=`).
 * Both come from the URL, so a reload shows the same checkout. Prices here are for display; the
 * server prices the order from the database.
 */
type CheckoutLines = { lines: CartLine[]; status: 'loading' | 'ready' | 'gone' | 'error'; error: string | null; retry: () => void }

function useCheckoutLines(): CheckoutLines {
  const { params } = useRouter()
  const goodsId = params['goodsId'] ?? ''
  const quantity = Math.min(99, Math.max(1, Number.parseInt(params['quantity'] ?? '1', 10) || 1))
  const cartLines = useCart((s) => s.lines)
  const entry = useGoods((s) => (goodsId ? s.detail[goodsId] : undefined))
  const loadGoods = useGoods((s) => s.loadGoods)
  useEffect(() => {
    if (goodsId) void loadGoods(goodsId)
  }, [goodsId, loadGoods])
  if (!goodsId) return { lines: cartLines, status: 'ready', error: null, retry: () => undefined }
  const goods = entry?.goods
  const retry = (): void => void loadGoods(goodsId)
  if (goods && !goods.onSale) return { lines: [], status: 'gone', error: '该商品已下架', retry }
  if (entry?.status === 'error')
    return entry.error?.code === 'GOODS_NOT_FOUND'
      ? { lines: [], status: 'gone', error: '商品不存在或已下架', retry }
      : { lines: [], status: 'error', error: entry.error?.message ?? '加载失败', retry }
  if (!goods || entry?.status === 'loading') return { lines: [], status: 'loading', error: null, retry: () => undefined }
  return {
    lines: [{ goodsId: goods._id, name: goods.name, priceFen: goods.priceFen, pic: goods.pic, quantity }],
    status: 'ready',
    error: null,
    retry: () => undefined,
  }
}

/** Where the goods go: WeChat's address book in the mini program, our own form on H5. */
async function chooseAddress(): Promise<void> {
  if (!pickAddress) {
    const hasAny = addressStore.getState().entries.length > 0
    await Taro.navigateTo({ url: hasAny ? '/pages/address/index?select=1' : '/pages/address/edit' })
    return
  }
  const picked = await pickAddress()
  if (picked.kind === 'picked') addressStore.getState().save(picked.address)
  else if (picked.kind === 'invalid') void Taro.showToast({ title: picked.message, icon: 'none' })
  else if (picked.kind === 'denied') {
    const { confirm } = await Taro.showModal({ title: '需要通讯地址权限', content: '请在设置中允许使用通讯地址，以便选择收货地址', confirmText: '去设置' })
    if (confirm) await Taro.openSetting()
  }
}

export default function Checkout() {
  const { params } = useRouter()
  const fromCart = !params['goodsId']
  const { lines, status, error, retry } = useCheckoutLines()
  const address = useAddresses(selectedAddress)
  const placing = useOrders((s) => s.checkout.status === 'loading')
  const [note, setNote] = useState('')
  const [paying, setPaying] = useState(false)
  const [missingAddress, setMissingAddress] = useState(false)
  const noteProblem = addressFieldProblem('note', note.trim())
  const total = cartTotalFen(lines)

  async function submit(): Promise<void> {
    if (!address) {
      setMissingAddress(true)
      void Taro.showToast({ title: '请先添加收货地址', icon: 'none' })
      return
    }
    if (noteProblem) {
      void Taro.showToast({ title: noteProblem.message, icon: 'none' })
      return
    }
    const { id: _id, ...deliverTo } = address
    const outTradeNo = await ordersStore
      .getState()
      .placeOrder({ lines: lines.map(({ goodsId, quantity }) => ({ goodsId, quantity })), address: deliverTo, note: note.trim() })
    if (!outTradeNo) {
      void Taro.showToast({ title: ordersStore.getState().checkout.error?.message ?? '下单失败，请重试', icon: 'none', duration: 2500 })
      return
    }
    setPaying(true)
    if (fromCart) cartStore.getState().removeMany(lines.map((line) => line.goodsId))
    await ordersStore.getState().payOrder(outTradeNo)
    // Replaces this page: back, reload or a restored page never opens the cashier again.
    await Taro.redirectTo({ url: `/pages/result/index?outTradeNo=${outTradeNo}` })
  }

  const toShop = (): void => void Taro.switchTab({ url: '/pages/index/index' })
  if (status === 'loading') return <Skeleton rows={2} />
  if (status === 'gone')
    return (
      <View className="checkout" role="main">
        <Empty text={error ?? '商品不存在或已下架'} action="去逛逛" onAction={toShop} />
      </View>
    )
  if (status === 'error') return <ErrorRetry message={error ?? '加载失败'} onRetry={retry} />
  if (lines.length === 0 && !paying)
    return (
      <View className="checkout" role="main">
        <Empty text="没有要结算的商品" action="去逛逛" onAction={toShop} />
      </View>
    )
  const busy = placing || paying
  const count = lines.reduce((sum, line) => sum + line.quantity, 0)
  const addressMissing = missingAddress && !address
  const pick = (): void => void chooseAddress()
  return (
    <View className="checkout" role="main">
      <View className="visually-hidden" role="heading" aria-level="1">
        确认订单
      </View>
      <View
        className={`checkout__card checkout__address ${addressMissing ? 'checkout__address--missing' : ''}`}
        role="button"
        aria-label={address ? `收货地址：${address.recipient}，${maskedMobile(address.mobile)}，${addressLine(address)}。点按更换` : '添加收货地址'}
        aria-describedby={addressMissing ? 'checkout-address-error' : undefined}
        onClick={pick}
        {...pressable(pick)}
      >
        <View className="checkout__pin" aria-hidden="true" />
        {address ? (
          <View className="checkout__address-body">
            <View className="checkout__address-who">
              <Text className="checkout__recipient">{address.recipient}</Text>
              <Text className="checkout__mobile">{maskedMobile(address.mobile)}</Text>
            </View>
            <Text className="checkout__address-line">{addressLine(address)}</Text>
          </View>
        ) : (
          <View className="checkout__address-body">
            <Text className="checkout__address-empty">＋ 添加收货地址</Text>
            <Text className="checkout__address-hint">填写收货人、手机号码和详细地址</Text>
          </View>
        )}
        <Text className="checkout__chevron" aria-hidden="true">
          ›
        </Text>
      </View>
      {addressMissing ? (
        <View className="checkout__error checkout__error--address" id="checkout-address-error" role="alert">
          请先添加收货地址
        </View>
      ) : null}

      <View className="checkout__card checkout__lines">
        {lines.map((line) => (
          <View key={line.goodsId} className="checkout-line">
            <GoodsImage className="checkout-line__pic" src={line.pic} alt="" />
            <View className="checkout-line__body">
              <Text className="checkout-line__name">{line.name}</Text>
              <View className="checkout-line__row">
                <Text className="checkout-line__meta">
                  {formatFen(line.priceFen)} × {line.quantity}
                </Text>
                <Price className="checkout-line__amount" fen={line.priceFen * line.quantity} size="small" />
              </View>
            </View>
          </View>
        ))}
      </View>

      <View className="checkout__card">
        <Text className="checkout__label" id="checkout-note-label">
          订单备注
        </Text>
        <Textarea
          className={`checkout__note ${noteProblem ? 'checkout__note--bad' : ''}`}
          value={note}
          maxlength={ADDRESS_LIMITS.note}
          placeholder="选填：给商家或快递员的话（如：放门口快递柜）"
          ariaLabel="订单备注"
          nativeProps={{
            'aria-labelledby': 'checkout-note-label',
            'aria-describedby': 'checkout-note-help',
            'aria-invalid': noteProblem ? 'true' : undefined,
          }}
          onInput={(e) => setNote(e.detail.value)}
        />
        <View className="checkout__note-help" id="checkout-note-help">
          {noteProblem ? (
            <View className="checkout__error" role="alert">
              {noteProblem.message}
            </View>
          ) : (
            <Text className="checkout__counter">
              {[...note].length}/{ADDRESS_LIMITS.note}
            </Text>
          )}
        </View>
      </View>

      <View className="checkout__card checkout__sums">
        <View className="checkout__sum">
          <Text>商品金额</Text>
          <Text>{formatFen(total)}</Text>
        </View>
        <View className="checkout__sum">
          <Text>运费</Text>
          <Text>免运费</Text>
        </View>
        <Text className="checkout__hint">实付金额以下单时的商品价格为准</Text>
      </View>

      <View className="checkout__bar">
        <View className="checkout__total">
          <Text className="checkout__count">共 {count} 件，</Text>
          <Text className="checkout__total-label">合计</Text>
          <Price className="checkout__total-amount" fen={total} size="large" />
        </View>
        <Action kind="primary" className="checkout__submit" loading={busy} onClick={() => void submit()}>
          {placing ? '提交中…' : paying ? '支付中…' : '提交订单'}
        </Action>
      </View>
      <Cashier />
    </View>
  )
}
