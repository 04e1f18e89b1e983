import { Text, View } from '@tarojs/components'
import { CART_LIMITS } from '../../cloud/payment/contracts'
import { pressable } from './pressable'
import './Stepper.scss'

/**
 * A quantity from `min` to `max` (by default what a cart line may hold); the buttons stop at the ends.
 * Each button is a full tap target (44 CSS px) around a smaller drawn key; `label` names what is
 * counted for screen readers ("云南小粒咖啡豆 数量").
 */
export function Stepper({
  value,
  min = 1,
  max = CART_LIMITS.maxQuantity,
  label = '数量',
  onChange,
}: {
  value: number
  min?: number
  max?: number
  label?: string
  onChange: (value: number) => void
}) {
  const atMin = value <= min
  const atMax = value >= max
  const less = () => !atMin && onChange(value - 1)
  const more = () => !atMax && onChange(value + 1)
  return (
    <View className="stepper" role="group" aria-label={label}>
      <View
        className={`stepper__button ${atMin ? 'stepper__button--off' : ''}`}
        role="button"
        aria-label="减少一件"
        aria-disabled={atMin ? 'true' : undefined}
        onClick={less}
        {...pressable(less)}
      >
        <Text className="stepper__key" aria-hidden="true">
          −
        </Text>
      </View>
      <Text className="stepper__value" aria-live="polite">
        {value}
      </Text>
      <View
        className={`stepper__button ${atMax ? 'stepper__button--off' : ''}`}
        role="button"
        aria-label="增加一件"
        aria-disabled={atMax ? 'true' : undefined}
        onClick={more}
        {...pressable(more)}
      >
        <Text className="stepper__key" aria-hidden="true">
          +
        </Text>
      </View>
    </View>
  )
}
