import { Text, Textarea, View } from '@tarojs/components'
import { useState } from 'react'
import { AFTER_SALE_REASON_MAX } from '../../../cloud/payment/contracts'
import { Action } from '../../components/Action'
import { pressable } from '../../components/pressable'
import { reasonLength, reasonProblem, reasonToSend } from './afterSale'

const LABEL = '售后原因'
// H5: the name goes on the real <textarea> inside Taro's element; the mini program reads aria-label.
const a11y = process.env.TARO_ENV === 'h5' ? { nativeProps: { 'aria-label': LABEL } } : { ariaLabel: LABEL }

type Props = {
  busy: boolean
  /** Sends the reason: null when filed, else the refusal in the shopper's words (shown under the field). */
  onSubmit: (reason: string) => Promise<string | null>
  onClose: () => void
}

/** Asks for after-sale: one reason, checked with the server's rules before it is sent. */
export function AfterSaleForm({ busy, onSubmit, onClose }: Props) {
  const [reason, setReason] = useState('')
  const [tried, setTried] = useState(false)
  const [refused, setRefused] = useState<string | null>(null)
  const length = reasonLength(reason)
  const over = length > AFTER_SALE_REASON_MAX
  // Empty is said only after a submit; too long as soon as it is.
  const problem = tried || over ? reasonProblem(reason) : null
  const error = problem ?? refused

  const submit = async (): Promise<void> => {
    setTried(true)
    if (busy || reasonProblem(reason)) return
    const refusal = await onSubmit(reasonToSend(reason))
    setRefused(refusal)
    if (refusal === null) {
      setReason('')
      setTried(false)
    }
  }

  return (
    <View className="order__card after-sale-form">
      <View className="after-sale-form__head">
        <Text className="order__card-title">申请售后</Text>
        <View className="after-sale-form__close" role="button" onClick={onClose} {...pressable(onClose)}>
          收起
        </View>
      </View>
      <Text className="after-sale-form__label">{LABEL}</Text>
      <Textarea
        className={`after-sale-form__input ${error ? 'after-sale-form__input--error' : ''}`}
        value={reason}
        maxlength={AFTER_SALE_REASON_MAX * 5}
        autoFocus
        placeholder="请描述遇到的问题，如商品破损、少件、发错货"
        placeholderClass="after-sale-form__placeholder"
        onInput={(event) => {
          setReason(event.detail.value)
          setRefused(null)
        }}
        {...a11y}
      />
      <View className="after-sale-form__meta">
        <View className="after-sale-form__error" role="alert">
          {error ?? ''}
        </View>
        <Text className={`after-sale-form__count ${over ? 'after-sale-form__count--over' : ''}`}>
          {length}/{AFTER_SALE_REASON_MAX}
        </Text>
      </View>
      <Action kind="primary" block loading={busy} onClick={() => void submit()}>
        提交申请
      </Action>
    </View>
  )
}
