import { Input, Text, Textarea, View } from '@tarojs/components'
import Taro, { useRouter } from '@tarojs/taro'
import { useEffect, useState } from 'react'
import { formatYuan, GOODS_LABELS, GOODS_LIMITS, goodsPriceProblem, parseYuan, type StaffGoodsView } from '../../../../../cloud/payment/staffContracts'
import { Action } from '../../../../components/Action'
import { GoodsImage } from '../../../../components/GoodsImage'
import { pressable } from '../../../../components/pressable'
import { Empty, ErrorRetry, Skeleton } from '../../../../components/States'
import { toUiError } from '../../../../stores/errors'
import { Forbidden } from '../../Forbidden'
import { pickPictures } from '../pictures'
import { goodsStore, useGoods } from '../store'
import '../../staff.scss'
import './index.scss'

// One goods item, new (no `id`) or as it is: name, description, price typed in yuan (stored as
// exact integer fen), pictures (uploaded, removed, reordered; the first is the cover), on sale.

type Pic = { pic: string; url: string }
type Form = { name: string; description: string; price: string; pics: Pic[]; onSale: boolean }
type Problems = Partial<Record<'name' | 'description' | 'price', string>>

const blank: Form = { name: '', description: '', price: '', pics: [], onSale: true }
const formOf = (goods: StaffGoodsView): Form => ({
  name: goods.name,
  description: goods.description,
  price: formatYuan(goods.priceFen),
  pics: goods.pics.map((pic, i) => ({ pic, url: goods.picUrls[i] || pic })),
  onSale: goods.onSale,
})

/** H5: the name goes on the real <input> inside Taro's element; the mini program reads ariaLabel. */
const named = (label: string, error?: string): object =>
  process.env.TARO_ENV === 'h5' ? { nativeProps: { 'aria-label': label, 'aria-invalid': error ? 'true' : undefined } } : { ariaLabel: label }

/** What the form can tell before sending, in staff words (the server checks the same and more). */
function problemsOf(form: Form): Problems {
  const problems: Problems = {}
  const name = form.name.trim()
  if (!name) problems.name = `请填写${GOODS_LABELS.name}`
  else if ([...name].length > GOODS_LIMITS.name) problems.name = `${GOODS_LABELS.name}最多 ${GOODS_LIMITS.name} 个字`
  if ([...form.description.trim()].length > GOODS_LIMITS.description) problems.description = `${GOODS_LABELS.description}最多 ${GOODS_LIMITS.description} 个字`
  if (!form.price.trim()) problems.price = `请填写${GOODS_LABELS.priceFen}`
  else {
    const fen = parseYuan(form.price)
    const problem = fen === null ? '价格格式不正确，请填写金额（元），最多两位小数，如 12.30' : goodsPriceProblem(fen)
    if (problem) problems.price = problem
  }
  return problems
}

function FieldError({ text }: { text: string | undefined }) {
  if (!text) return null
  return (
    <View className="staff-field__error" role="alert">
      {text}
    </View>
  )
}

function Pictures({ pics, onChange }: { pics: Pic[]; onChange: (pics: Pic[]) => void }) {
  const [uploading, setUploading] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const room = GOODS_LIMITS.pics - pics.length
  const add = async (): Promise<void> => {
    setError(null)
    setUploading(true)
    try {
      const ids = await pickPictures(room)
      onChange([...pics, ...ids.filter((id) => !pics.some((p) => p.pic === id)).map((id) => ({ pic: id, url: id }))])
    } catch (cause) {
      setError(toUiError(cause).message)
    } finally {
      setUploading(false)
    }
  }
  const move = (i: number): void => {
    const next = [...pics]
    const [moved] = next.splice(i, 1)
    if (moved) next.splice(i - 1, 0, moved)
    onChange(next)
  }
  const remove = (i: number): void => onChange(pics.filter((_, j) => j !== i))
  return (
    <View className="goods-edit__section" role="group" aria-label={GOODS_LABELS.pics}>
      <Text className="staff-field__label" aria-hidden="true">
        {GOODS_LABELS.pics}（{pics.length}/{GOODS_LIMITS.pics}，第一张为封面）
      </Text>
      <View className="goods-edit__pics">
        {pics.map((p, i) => (
          <View key={p.pic} className="goods-edit__pic" data-pic={p.pic}>
            <GoodsImage className="goods-edit__img" src={p.url} alt={i === 0 ? '封面图片' : `第 ${i + 1} 张图片`} />
            {i === 0 ? <Text className="goods-edit__cover">封面</Text> : null}
            <View className="goods-edit__pic-actions">
              {i > 0 ? (
                <View
                  className="goods-edit__pic-button"
                  role="button"
                  aria-label={`第 ${i + 1} 张图片前移`}
                  onClick={() => move(i)}
                  {...pressable(() => move(i))}
                >
                  前移
                </View>
              ) : null}
              <View
                className="goods-edit__pic-button goods-edit__pic-button--danger"
                role="button"
                aria-label={`删除第 ${i + 1} 张图片`}
                onClick={() => remove(i)}
                {...pressable(() => remove(i))}
              >
                删除
              </View>
            </View>
          </View>
        ))}
        {room > 0 ? (
          <View
            className={`goods-edit__add ${uploading ? 'goods-edit__add--busy' : ''}`}
            role="button"
            aria-label="添加图片"
            aria-busy={uploading ? 'true' : undefined}
            onClick={() => void (uploading ? undefined : add())}
            {...pressable(() => void (uploading ? undefined : add()))}
          >
            <Text className="goods-edit__add-text">{uploading ? '上传中…' : '＋ 添加图片'}</Text>
          </View>
        ) : null}
      </View>
      <FieldError text={error ?? undefined} />
    </View>
  )
}

export default function StaffGoodsEdit() {
  const { params } = useRouter()
  const id = params['id'] ? decodeURIComponent(params['id']) : undefined
  const access = useGoods((s) => s.access)
  const goods = useGoods((s) => (id ? s.byId[id] : undefined))
  const detail = useGoods((s) => (id ? s.detail[id] : undefined))
  const saving = useGoods((s) => s.saving)
  const [form, setForm] = useState<Form | null>(id ? null : blank)
  const [shown, setShown] = useState<Problems>({})

  useEffect(() => {
    goodsStore.getState().clearSaveError()
    if (id) {
      if (!goodsStore.getState().byId[id]) void goodsStore.getState().loadGoods(id)
    } else if (goodsStore.getState().access === 'unknown') void goodsStore.getState().refresh() // the gate: is this staff?
    void Taro.setNavigationBarTitle({ title: id ? '编辑商品' : '新建商品' })
  }, [id])
  // The form starts from the item once it is here, and is the staff member's from then on.
  useEffect(() => {
    if (goods && !form) setForm(formOf(goods))
  }, [goods, form])

  if (access === 'forbidden') return <Forbidden />
  const backToList = (): void => {
    if (Taro.getCurrentPages().length > 1) void Taro.navigateBack()
    else void Taro.redirectTo({ url: '/pages/staff/goods/index' })
  }
  if (!form) {
    // Not there (a wrong or old link): nothing to retry, the way forward is the list.
    if (detail?.error?.code === 'GOODS_NOT_FOUND')
      return (
        <View role="main">
          <Empty text="商品不存在" action="返回商品列表" onAction={backToList} />
        </View>
      )
    if (detail?.status === 'error')
      return (
        <View role="main">
          <ErrorRetry message={detail.error?.message ?? '加载失败'} onRetry={() => id && void goodsStore.getState().loadGoods(id)} />
        </View>
      )
    return <Skeleton rows={3} />
  }
  if (access === 'unknown' && !id) return <Skeleton rows={3} />

  const change = (next: Partial<Form>): void => {
    const updated = { ...form, ...next }
    setForm(updated)
    // Once a field was shown wrong, it says so (or stops saying so) as the staff member types.
    const now = problemsOf(updated)
    setShown((before) => Object.fromEntries(Object.keys(before).map((key) => [key, now[key as keyof Problems]])) as Problems)
  }
  const save = async (): Promise<void> => {
    const problems = problemsOf(form)
    setShown(problems)
    if (Object.values(problems).some(Boolean)) return
    const priceFen = parseYuan(form.price) ?? 0
    const saved = await goodsStore.getState().save({
      ...(id ? { id } : {}),
      name: form.name.trim(),
      description: form.description.trim(),
      priceFen,
      pics: form.pics.map((p) => p.pic),
      onSale: form.onSale,
    })
    if (!saved) return
    void Taro.showToast({ title: '已保存', icon: 'success' })
    backToList()
  }
  const toggleSale = (): void => change({ onSale: !form.onSale })

  return (
    <View className="goods-edit" role="main">
      <View className="visually-hidden" role="heading" aria-level="1">
        {id ? '编辑商品' : '新建商品'}
      </View>
      <View className="goods-edit__card" role="form" aria-label="商品信息">
        <View className="staff-field">
          <Text className="staff-field__label" aria-hidden="true">
            {GOODS_LABELS.name}
          </Text>
          <Input
            className={`staff-field__input goods-edit__name ${shown.name ? 'staff-field__input--error' : ''}`}
            value={form.name}
            maxlength={GOODS_LIMITS.name}
            placeholder="如 云南小粒咖啡豆 250g"
            placeholderClass="staff-field__placeholder"
            onInput={(event) => change({ name: event.detail.value })}
            {...named(GOODS_LABELS.name, shown.name)}
          />
          <FieldError text={shown.name} />
        </View>
        <View className="staff-field">
          <Text className="staff-field__label" aria-hidden="true">
            价格（元）
          </Text>
          <Input
            className={`staff-field__input goods-edit__price ${shown.price ? 'staff-field__input--error' : ''}`}
            value={form.price}
            type="digit"
            maxlength={13}
            placeholder="如 12.30"
            placeholderClass="staff-field__placeholder"
            onInput={(event) => change({ price: event.detail.value })}
            {...named('价格（元）', shown.price)}
          />
          {shown.price ? <FieldError text={shown.price} /> : <Text className="staff-field__hint">按元填写，最多两位小数；改价不影响已下的订单</Text>}
        </View>
        <View className="staff-field">
          <Text className="staff-field__label" aria-hidden="true">
            {GOODS_LABELS.description}（选填）
          </Text>
          <Textarea
            className={`goods-edit__description ${shown.description ? 'goods-edit__description--error' : ''}`}
            value={form.description}
            maxlength={GOODS_LIMITS.description}
            placeholder="产地、规格、口味等"
            placeholderClass="staff-field__placeholder"
            onInput={(event) => change({ description: event.detail.value })}
            {...named(GOODS_LABELS.description, shown.description)}
          />
          <FieldError text={shown.description} />
        </View>
        <Pictures pics={form.pics} onChange={(pics) => change({ pics })} />
        <View
          className="goods-edit__sale"
          role="switch"
          aria-checked={form.onSale ? 'true' : 'false'}
          aria-label="上架销售"
          onClick={toggleSale}
          {...pressable(toggleSale)}
        >
          <View className="goods-edit__sale-text">
            <Text className="goods-edit__sale-title">上架销售</Text>
            <Text className="goods-edit__sale-hint">{form.onSale ? '保存后买家即可看到并购买' : '保存后买家看不到，也无法下单'}</Text>
          </View>
          <View className={`goods-edit__switch ${form.onSale ? 'goods-edit__switch--on' : ''}`} aria-hidden="true">
            <View className="goods-edit__knob" />
          </View>
        </View>
      </View>
      {saving.error ? (
        <View className="goods-edit__refusal" role="alert">
          {saving.error.message}
        </View>
      ) : null}
      <View className="goods-edit__bar">
        <Action kind="primary" block loading={saving.busy} onClick={() => void save()}>
          保存
        </Action>
      </View>
    </View>
  )
}
