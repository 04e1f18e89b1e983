import { View } from '@tarojs/components'
import type { ReactNode } from 'react'
import './Action.scss'

type Props = { kind?: 'primary' | 'default'; small?: boolean; disabled?: boolean; className?: string; onClick: () => void; children: ReactNode }

/** A compact button that looks the same in the mini program and on H5. */
export function Action({ kind = 'default', small = false, disabled = false, className = '', onClick, children }: Props) {
  return (
    <View
      className={`action action--${kind} ${small ? 'action--small' : ''} ${disabled ? 'action--disabled' : ''} ${className}`}
      onClick={() => {
        if (!disabled) onClick()
      }}
    >
      {children}
    </View>
  )
}
