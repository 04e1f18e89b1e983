import { Text, View } from '@tarojs/components'
import './Stepper.scss'

/** A quantity from `min` to `max`; the buttons stop at the ends. */
export function Stepper({ value, min = 1, max = 99, onChange }: { value: number; min?: number; max?: number; onChange: (value: number) => void }) {
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
