/**
 * H5: what a native <button> does for keyboard users, for a clickable View — Tab reaches it, Enter
 * and Space press it (and axe's scrollable-region-focusable then finds focusable content in a
 * scrolling page). Taro's View types know neither `tabIndex` nor `onKeyDown`, hence the loose
 * type; the mini program ignores both. Spread it: `<View role="button" {...pressable(go)} />`.
 */
export function pressable(onPress: () => void): object {
  // The mini program has no keyboard; given `onKeyDown`, Taro would draw every View with the full
  // event template at every nesting level (a bigger package for nothing).
  if (process.env.TARO_ENV !== 'h5') return {}
  return {
    tabIndex: 0,
    onKeyDown: (event: KeyboardEvent) => {
      if (event.key !== 'Enter' && event.key !== ' ') return
      event.preventDefault()
      onPress()
    },
  }
}
