import { Text, View } from '@tarojs/components'
import type { ReactNode } from 'react'
import { pressable } from './pressable'
import './Action.scss'

type Props = {
  /** primary: the one main action of a screen (green, white text); default: outlined; danger: destructive. */
  kind?: 'primary' | 'default' | 'danger'
  /** A compact button (44 CSS px high, the smallest tap target) for cards and rows. */
  small?: boolean
  /** Full width, for bottom bars and sheets. */
  block?: boolean
  disabled?: boolean
  /** Busy: a spinner before the label, taps ignored. */
  loading?: boolean
  /** What a screen reader says when the label alone is not enough ("加入购物车：咖啡豆"). */
  label?: string
  className?: string
  onClick: () => void
  children: ReactNode
}

/**
 * The shop's one button, the same in the mini program and on H5. Use it instead of Taro's
 * `Button`: on H5 that one writes `disabled="false"` / `loading="false"` attributes, and its own
 * `[disabled]` / `[loading]` styles then fade a button that is enabled. Here state is a class, and
 * ARIA attributes are written only when true.
 */
export function Action({ kind = 'default', small = false, block = false, disabled = false, loading = false, label, className = '', onClick, children }: Props) {
  const inactive = disabled || loading
  const classes = [
    'action',
    `action--${kind}`,
    small ? 'action--small' : '',
    block ? 'action--block' : '',
    disabled ? 'action--disabled' : '',
    loading ? 'action--busy' : '',
    className,
  ]
  const press = () => {
    if (!inactive) onClick()
  }
  return (
    <View
      className={classes.filter(Boolean).join(' ')}
      role="button"
      aria-label={label}
      aria-disabled={inactive ? 'true' : undefined}
      aria-busy={loading ? 'true' : undefined}
      onClick={press}
      {...pressable(press)}
    >
      {loading ? <View className="action__spinner" aria-hidden="true" /> : null}
      <Text className="action__label">{children}</Text>
    </View>
  )
}
