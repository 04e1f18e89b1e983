import { Text, View } from '@tarojs/components'
import { CART_LIMITS } from '../../cloud/payment/contracts'
import './Stepper.scss'

/** A quantity from `min` to `max` (by default what a cart line may hold); the buttons stop at the ends. */
export function Stepper({
  value,
  min = 1,
  max = CART_LIMITS.maxQuantity,
  onChange,
}: {
  value: number
  min?: number
  max?: number
  onChange: (value: number) => void
}) {
  return (
    <View className="stepper">
      <View className={`stepper__button ${value <= min ? 'stepper__button--off' : ''}`} onClick={() => value > min && onChange(value - 1)}>
        <Text>−</Text>
      </View>
      <Text className="stepper__value">{value}</Text>
      <View className={`stepper__button ${value >= max ? 'stepper__button--off' : ''}`} onClick={() => value < max && onChange(value + 1)}>
        <Text>+</Text>
      </View>
    </View>
  )
}
