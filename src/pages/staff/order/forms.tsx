import { Input, Text, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { useState, type ReactNode } from 'react'
import { NO_LOGISTICS, parseYuan, STAFF_CARRIERS, type NoLogistics, type StaffCarrier } from '../../../../cloud/payment/staffContracts'
import { Action } from '../../../components/Action'
import { pressable } from '../../../components/pressable'
import { formatFen } from '../../../utils/money'
import { carrierName, NO_LOGISTICS_LABELS } from '../labels'

// The order page's three forms. Each checks what it can before sending, asks before money
// moves, and shows the server's refusal (in staff words) under itself.

/** The server's rule for a tracking number (usecases/staffActions.ts TRACKING_NO). */
const TRACKING_NO = /^[A-Za-z0-9-]{4,40}$/
const REASON_MAX = 80
const REPLY_MAX = 200
const CARRIERS = Object.keys(STAFF_CARRIERS) as StaffCarrier[]

/** H5: the name goes on the real <input> inside Taro's element; the mini program reads ariaLabel. */
const named = (label: string, error?: string | null): object =>
  process.env.TARO_ENV === 'h5' ? { nativeProps: { 'aria-label': label, 'aria-invalid': error ? 'true' : undefined } } : { ariaLabel: label }

/** `confirmText`: at most 4 characters (WeChat's limit; Taro's H5 modal refuses longer ones too). */
async function confirmed(title: string, content: string, confirmText: string): Promise<boolean> {
  const answer = await Taro.showModal({ title, content, confirmText, cancelText: '再想想' }).catch(() => ({ confirm: false }))
  return answer.confirm
}

function Chip({ on, text, onPick }: { on: boolean; text: string; onPick: () => void }) {
  return (
    <View className={`staff-chip ${on ? 'staff-chip--on' : ''}`} role="radio" aria-checked={on ? 'true' : 'false'} onClick={onPick} {...pressable(onPick)}>
      <Text className="staff-chip__text">{text}</Text>
    </View>
  )
}

function Field({
  label,
  value,
  error,
  hint,
  type = 'text',
  max,
  placeholder,
  onInput,
}: {
  label: string
  value: string
  error?: string | null
  hint?: string
  type?: 'text' | 'digit'
  max: number
  placeholder: string
  onInput: (value: string) => void
}) {
  return (
    <View className="staff-field">
      <Text className="staff-field__label" aria-hidden="true">
        {label}
      </Text>
      <Input
        className={`staff-field__input ${error ? 'staff-field__input--error' : ''}`}
        value={value}
        type={type}
        maxlength={max}
        placeholder={placeholder}
        placeholderClass="staff-field__placeholder"
        onInput={(event) => onInput(event.detail.value)}
        {...named(label, error)}
      />
      {error ? (
        <View className="staff-field__error" role="alert">
          {error}
        </View>
      ) : hint ? (
        <Text className="staff-field__hint">{hint}</Text>
      ) : null}
    </View>
  )
}

function FormCard({ title, onClose, children }: { title: string; onClose: () => void; children: ReactNode }) {
  return (
    <View className="staff-card staff-form" role="form" aria-label={title}>
      <View className="staff-form__head">
        <Text className="staff-card__title">{title}</Text>
        <View className="staff-form__close" role="button" onClick={onClose} {...pressable(onClose)}>
          收起
        </View>
      </View>
      {children}
    </View>
  )
}

/** The server's refusal, under the form. */
function Refusal({ message }: { message: string | null }) {
  return message ? (
    <View className="staff-form__refusal" role="alert">
      {message}
    </View>
  ) : null
}

export type ShipChoice = { carrier: StaffCarrier; trackingNo: string } | { noLogistics: NoLogistics }

export function ShipForm({
  busy,
  refusal,
  onSubmit,
  onClose,
}: {
  busy: boolean
  refusal: string | null
  onSubmit: (ship: ShipChoice) => void
  onClose: () => void
}) {
  const [way, setWay] = useState<StaffCarrier | NoLogistics | null>(null)
  const [trackingNo, setTrackingNo] = useState('')
  const [tried, setTried] = useState(false)
  const courier = way !== null && !(NO_LOGISTICS as readonly string[]).includes(way)
  const trimmed = trackingNo.trim()
  const wayError = tried && way === null ? '请选择快递公司或无需物流的方式' : null
  const numberError = tried && courier ? (trimmed === '' ? '请填写快递单号' : TRACKING_NO.test(trimmed) ? null : '快递单号为 4–40 位字母、数字或 -') : null

  const submit = async (): Promise<void> => {
    setTried(true)
    if (busy || way === null || (courier && !TRACKING_NO.test(trimmed))) return
    const what = courier ? `${carrierName(way)} ${trimmed}` : carrierName(way)
    if (!(await confirmed('确认发货', `${what}\n发货后将通知买家，并同步到微信。`, '确认发货'))) return
    onSubmit(courier ? { carrier: way as StaffCarrier, trackingNo: trimmed } : { noLogistics: way as NoLogistics })
  }

  return (
    <FormCard title="发货" onClose={onClose}>
      <Text className="staff-field__label">快递公司</Text>
      <View className="staff-form__chips" role="radiogroup" aria-label="快递公司">
        {CARRIERS.map((code) => (
          <Chip key={code} on={way === code} text={STAFF_CARRIERS[code]} onPick={() => setWay(code)} />
        ))}
      </View>
      <Text className="staff-field__label">无需物流</Text>
      <View className="staff-form__chips" role="radiogroup" aria-label="无需物流">
        {NO_LOGISTICS.map((code) => (
          <Chip key={code} on={way === code} text={NO_LOGISTICS_LABELS[code]} onPick={() => setWay(code)} />
        ))}
      </View>
      {wayError ? (
        <View className="staff-field__error staff-form__gap" role="alert">
          {wayError}
        </View>
      ) : null}
      {courier ? <Field label="快递单号" value={trackingNo} error={numberError} max={40} placeholder="如 SF1234567890123" onInput={setTrackingNo} /> : null}
      <Refusal message={refusal} />
      <Action kind="primary" block loading={busy} onClick={() => void submit()}>
        确认发货
      </Action>
    </FormCard>
  )
}

/** How much: everything refundable, or an amount typed in yuan (checked to the fen by the same rule as goods prices). */
function useAmount(refundable: number, tried: boolean) {
  const [partial, setPartial] = useState(false)
  const [typed, setTyped] = useState('')
  const fen = partial ? parseYuan(typed) : refundable
  let error: string | null = null
  if (partial && (tried || typed !== '')) {
    if (fen === null) error = typed.trim() === '' ? '请填写退款金额' : '金额格式不正确，如 12.50（最多两位小数）'
    else if (fen <= 0) error = '退款金额需大于 0'
    else if (fen > refundable) error = `超过可退金额 ${formatFen(refundable)}`
  }
  const valid = fen !== null && fen > 0 && fen <= refundable
  const view = (
    <>
      <Text className="staff-field__label">退款金额</Text>
      <View className="staff-form__chips" role="radiogroup" aria-label="退款金额">
        <Chip on={!partial} text={`全额 ${formatFen(refundable)}`} onPick={() => setPartial(false)} />
        <Chip on={partial} text="部分退款" onPick={() => setPartial(true)} />
      </View>
      {partial ? (
        <Field
          label="金额（元）"
          value={typed}
          type="digit"
          error={error}
          hint={`最多可退 ${formatFen(refundable)}`}
          max={13}
          placeholder="如 12.50"
          onInput={setTyped}
        />
      ) : null}
    </>
  )
  /** `refundFee` to send: none for everything left (the server refunds all that is refundable then). */
  const refundFee = partial && valid ? (fen as number) : undefined
  return { view, valid, fen: valid ? (fen as number) : 0, refundFee }
}

const lengthOf = (text: string): number => [...text].length

export function RefundForm({
  refundable,
  busy,
  refusal,
  onSubmit,
  onClose,
}: {
  refundable: number
  busy: boolean
  refusal: string | null
  onSubmit: (refund: { reason: string; refundFee?: number }) => void
  onClose: () => void
}) {
  const [tried, setTried] = useState(false)
  const [reason, setReason] = useState('')
  const amount = useAmount(refundable, tried)
  const trimmed = reason.trim()
  const reasonError = tried && trimmed === '' ? '请填写退款原因' : lengthOf(trimmed) > REASON_MAX ? `退款原因最多 ${REASON_MAX} 个字` : null

  const submit = async (): Promise<void> => {
    setTried(true)
    if (busy || !amount.valid || trimmed === '' || lengthOf(trimmed) > REASON_MAX) return
    if (!(await confirmed('确认退款', `退款 ${formatFen(amount.fen)} 给买家，原路退回，提交后不能撤销。`, '确认退款'))) return
    onSubmit({ reason: trimmed, ...(amount.refundFee === undefined ? {} : { refundFee: amount.refundFee }) })
  }

  return (
    <FormCard title="退款" onClose={onClose}>
      {amount.view}
      <Field label="退款原因" value={reason} error={reasonError} max={REASON_MAX * 2} placeholder="如：缺货、买家协商退款" onInput={setReason} />
      <Refusal message={refusal} />
      <Action kind="primary" block loading={busy} onClick={() => void submit()}>
        退款
      </Action>
    </FormCard>
  )
}

export type Decision = { decision: 'approve'; refundFee?: number; reply?: string } | { decision: 'reject'; reply: string }

export function DecideForm({
  decision,
  refundable,
  busy,
  refusal,
  onSubmit,
  onClose,
}: {
  decision: 'approve' | 'reject'
  refundable: number
  busy: boolean
  refusal: string | null
  onSubmit: (decided: Decision) => void
  onClose: () => void
}) {
  const [tried, setTried] = useState(false)
  const [reply, setReply] = useState('')
  const amount = useAmount(refundable, tried)
  const trimmed = reply.trim()
  const needReply = decision === 'reject'
  const replyError = tried && needReply && trimmed === '' ? '请填写拒绝原因' : lengthOf(trimmed) > REPLY_MAX ? `回复最多 ${REPLY_MAX} 个字` : null

  const submit = async (): Promise<void> => {
    setTried(true)
    if (busy || lengthOf(trimmed) > REPLY_MAX) return
    if (decision === 'reject') {
      if (trimmed !== '') onSubmit({ decision: 'reject', reply: trimmed })
      return
    }
    if (!amount.valid) return
    if (!(await confirmed('同意售后', `同意并退款 ${formatFen(amount.fen)} 给买家，原路退回，提交后不能撤销。`, '同意退款'))) return
    onSubmit({ decision: 'approve', ...(amount.refundFee === undefined ? {} : { refundFee: amount.refundFee }), ...(trimmed ? { reply: trimmed } : {}) })
  }

  return (
    <FormCard title={needReply ? '拒绝售后' : '同意售后并退款'} onClose={onClose}>
      {needReply ? null : amount.view}
      <Field
        label={needReply ? '拒绝原因（买家可见）' : '回复买家（选填）'}
        value={reply}
        error={replyError}
        max={REPLY_MAX * 2}
        placeholder={needReply ? '如：商品已签收超过 7 天' : '如：已为您退款'}
        onInput={setReply}
      />
      <Refusal message={refusal} />
      <Action kind={needReply ? 'danger' : 'primary'} block loading={busy} onClick={() => void submit()}>
        {needReply ? '拒绝申请' : '同意并退款'}
      </Action>
    </FormCard>
  )
}
